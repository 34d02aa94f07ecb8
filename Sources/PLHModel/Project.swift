/// Everything a bilan is made from, as loaded and validated: no file, no I/O.
public struct Project: Hashable, Sendable {
    public var epci: EPCI
    public var plan: Plan
    public var bilan: Bilan
    public var milestones: [Milestone]
    /// Population vintage (« 2019 ») of the communes' populations.
    public var populationVintage: String?
    public var categories: [Category]
    public var communes: [Commune]
    public var segments: [Segment]
    public var objectives: [Objective]
    public var production: [ProductionRecord]
    public var orientations: [Orientation]
    /// Whether narratives may carry raw HTML (`options: html_brut: oui`); off by default.
    public var allowsRawHTML: Bool
    /// How findings (constats) are made.
    public var findingSettings: FindingSettings
    /// The imported files the data come from (`sources.csv`); empty when the data were typed in.
    public var sources: [SourceRecord]
    /// The document's colours (`couleurs:`), neutral unless the EPCI gives its own.
    public var colours: Colours

    public init(epci: EPCI, plan: Plan, bilan: Bilan, milestones: [Milestone] = [], populationVintage: String? = nil,
                categories: [Category], communes: [Commune], segments: [Segment], objectives: [Objective],
                production: [ProductionRecord], orientations: [Orientation] = [], allowsRawHTML: Bool = false,
                findingSettings: FindingSettings = FindingSettings(), sources: [SourceRecord] = [],
                colours: Colours = .neutral) {
        self.epci = epci
        self.plan = plan
        self.bilan = bilan
        self.milestones = milestones
        self.populationVintage = populationVintage
        self.categories = categories
        self.communes = communes
        self.segments = segments
        self.objectives = objectives
        self.production = production
        self.orientations = orientations
        self.allowsRawHTML = allowsRawHTML
        self.findingSettings = findingSettings
        self.sources = sources
        self.colours = colours
    }

    /// Communes of one category, in the order of the project file.
    public func communes(in category: String) -> [Commune] {
        communes.filter { $0.category == category }
    }
}
