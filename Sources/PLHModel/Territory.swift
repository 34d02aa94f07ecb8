/// The intercommunality (EPCI) whose plan is assessed.
public struct EPCI: Hashable, Sendable {
    public var name: String
    /// Short name used in running text (« CALL »); the full name when there is none.
    public var shortName: String?
    /// The 9-character SIREN, a string: never a number.
    public var siren: String

    public init(name: String, shortName: String? = nil, siren: String) {
        self.name = name
        self.shortName = shortName
        self.siren = siren
    }
}

/// A member commune, identified by its INSEE code (a string: `01001`, `2A004`, `97101`).
public struct Commune: Hashable, Sendable {
    public var code: String
    /// The official name (COG), which may differ from the one people type.
    public var name: String
    public var population: Int
    /// The code of the category (typologie communale) the commune belongs to.
    public var category: String

    public init(code: String, name: String, population: Int, category: String) {
        self.code = code
        self.name = name
        self.population = population
        self.category = category
    }
}

/// A group of communes with shared objectives (typologie communale, secteur).
public struct Category: Hashable, Sendable {
    public var code: String
    public var label: String
    public var description: String?

    public init(code: String, label: String, description: String? = nil) {
        self.code = code
        self.label = label
        self.description = description
    }
}

/// A tenure segment (segment de production): PLAI, accession sociale... Plans differ, so segments are data.
public struct Segment: Hashable, Sendable {
    public var code: String
    public var label: String
    /// A broader family used to group segments in text (« locatif social », « accession »), if any.
    public var family: String?
    /// The part of Sitadel permits this segment receives on import (`sitadel:` in plh.yaml), if any.
    public var sitadel: SitadelBucket?

    public init(code: String, label: String, family: String? = nil, sitadel: SitadelBucket? = nil) {
        self.code = code
        self.label = label
        self.family = family
        self.sitadel = sitadel
    }
}
