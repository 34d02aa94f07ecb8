import PLHLoad
import PLHBase
import PLHModel

/// What an import counted, row by row: the dwellings kept per commune, year and segment, and what it left out
/// (rows outside the EPCI or the plan), so that nothing is dropped silently.
struct ImportTally {
    struct Key: Hashable {
        var commune: String
        var year: Int
        var segment: String
    }

    /// « permis » for Sitadel, « ligne » for approvals: what one row of the file is.
    let unit: (singular: String, plural: String, feminine: Bool)
    var read = 0
    var kept = 0
    var dwellings: [Key: Int] = [:]
    var outside = (rows: 0, dwellings: 0, codes: [String]())
    var outsidePeriod = (rows: 0, dwellings: 0)
    /// Rows given by municipal arrondissement (75101…), counted in their commune.
    var arrondissements = 0
    /// Rows whose commune code the COG does not know.
    var unknownCodes = 0

    mutating func keep(_ commune: String, _ year: Int, _ segment: String, _ n: Int) {
        if n > 0 { dwellings[Key(commune: commune, year: year, segment: segment), default: 0] += n }
    }

    /// The member commune a row's code stands for, counting and noting the others: an old code merged into a
    /// member (noted, counted in it), an arrondissement (counted in its commune), a commune outside the EPCI
    /// (counted apart), a code the COG does not know (noted). Nil when the row is not kept.
    mutating func member(_ code: String, resolver: CommuneResolver, dwellings n: Int, at location: SourceLocation,
                         notes: inout Diagnostics) -> Commune? {
        switch resolver.resolve(code) {
        case .member(let commune):
            return commune
        case .arrondissement(let commune):
            arrondissements += 1
            return commune
        case .merged(let old, let oldName, let commune):
            notes.warning(at: location, "ancien code \(old) (\(oldName)), commune fusionnée dans \(commune.name) : compté à \(commune.name) (\(commune.code))")
            return commune
        case .outside:
            outsideEPCI(code, dwellings: n)
            return nil
        case .unknown:
            unknownCodes += 1
            notes.warning(at: location, "code commune \(code) inconnu du code officiel géographique : \(unit.singular) \(notKept(1))",
                          hint: "ni commune actuelle ni ancienne commune ; vérifiez ce code")
            return nil
        }
    }

    mutating func outsideEPCI(_ code: String, dwellings n: Int) {
        outside.rows += 1
        outside.dwellings += n
        if !outside.codes.contains(code) { outside.codes.append(code) }
    }

    mutating func outsidePlan(dwellings n: Int) {
        outsidePeriod.rows += 1
        outsidePeriod.dwellings += n
    }

    /// The production rows of this import, with the communes' official names.
    func rows(names: [String: String], source: String) -> [ProductionFile.Row] {
        dwellings.map { key, n in
            ProductionFile.Row(code: key.commune, commune: names[key.commune] ?? "", year: String(key.year), segment: key.segment,
                               dwellings: String(n), source: source)
        }
    }

    /// Dwellings kept per segment, in the order of plh.yaml.
    func bySegment(_ segments: [Segment]) -> [(segment: String, dwellings: Int)] {
        var totals: [String: Int] = [:]
        for (key, n) in dwellings { totals[key.segment, default: 0] += n }
        return segments.map { ($0.code, totals[$0.code] ?? 0) }
    }

    func rows(_ n: Int) -> String { French.count(n, unit.singular, unit.plural) }

    func notKept(_ n: Int) -> String { "non retenu" + (unit.feminine ? "e" : "") + (n > 1 ? "s" : "") }

    /// The summary lines about what was left out of the project.
    var leftOut: [String] {
        var lines: [String] = []
        if arrondissements > 0 {
            let counted = "compté" + (unit.feminine ? "e" : "") + (arrondissements > 1 ? "s" : "")
            lines.append("Arrondissements municipaux : \(rows(arrondissements)) \(counted) dans leur commune.")
        }
        if outside.rows > 0 {
            let examples = outside.codes.prefix(5).joined(separator: ", ") + (outside.codes.count > 5 ? "…" : "")
            lines.append("Hors de l'EPCI : \(rows(outside.rows)), \(French.count(outside.dwellings, "logement")) (communes \(examples)), \(notKept(outside.rows)).")
        }
        if outsidePeriod.rows > 0 {
            lines.append("Hors de la période du PLH : \(rows(outsidePeriod.rows)), \(French.count(outsidePeriod.dwellings, "logement")), \(notKept(outsidePeriod.rows)).")
        }
        return lines
    }

    /// « production.csv : 21 lignes ajoutées, 21 lignes remplacées (import précédent de X). »
    static func written(_ file: String, added: Int, replaced: Int, source: String) -> String {
        "\(file) : \(French.count(added, "ligne ajoutée", "lignes ajoutées")), \(French.count(replaced, "ligne remplacée", "lignes remplacées")) (import précédent de \(source))."
    }

    /// « Logements comptés : locatif_social 98, accession_sociale 24, libre 56. »
    static func perSegment(_ title: String, _ totals: [(segment: String, dwellings: Int)]) -> String? {
        let nonZero = totals.filter { $0.dwellings > 0 }
        guard !nonZero.isEmpty else { return nil }
        return "\(title) : " + nonZero.map { "\($0.segment) \(French.integer($0.dwellings))" }.joined(separator: ", ") + "."
    }
}
