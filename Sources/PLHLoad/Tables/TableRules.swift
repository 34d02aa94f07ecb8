import PLHBase
import PLHModel

/// The meaning of the cells every table shares, written once for projects and observatories, so that one value
/// reads the same (or fails with the same message) wherever it is written.
///
/// Each rule reports into the diagnostics it is given: a project's own, or one EPCI's in an observatory.
enum TableRules {
    /// The words `periode` accepts.
    static func period(_ word: String) -> ObjectivePeriod? {
        // The two words written nearly everywhere, without normalising them.
        if word == "an" { return .annual }
        if word == "plan" { return .plan }
        return switch normalisedName(word) {
        case "plan", "plh", "total": .plan
        case "an", "annuel", "annuelle", "par_an", "annee", "par_annee": .annual
        default: nil
        }
    }

    /// A commune code by `CommuneCode`'s rule; four-digit codes are completed and counted in `padded`.
    static func communeCode(_ raw: String, at location: SourceLocation, padded: inout PaddedCodes,
                            _ diagnostics: inout Diagnostics) -> String? {
        guard let (code, wasPadded) = CommuneCode.read(raw) else {
            diagnostics.error(at: location, raw.isEmpty ? "code INSEE manquant" : "« \(raw) » n'est pas un code INSEE de commune",
                              hint: "un code INSEE a cinq caractères, par exemple 62498, 01001 ou 2A004")
            return nil
        }
        if wasPadded { padded.note(raw, at: location) }
        return code
    }

    /// Whether `code` is a declared segment; otherwise an error naming the file that declares them.
    /// `location` is only worked out for an error (thousands of rows are checked in a national batch).
    static func segment(_ code: String, among segments: [String], declaredIn file: String, at location: @autoclosure () -> SourceLocation,
                        _ diagnostics: inout Diagnostics) -> Bool {
        if segments.contains(code) { return true }
        diagnostics.error(at: location(), code.isEmpty ? "segment manquant" : "segment « \(code) » non déclaré dans \(file)",
                          hint: suggestion(for: code, among: segments) ?? "segments déclarés : \(segments.joined(separator: ", "))")
        return false
    }

    /// The cells of an objective row that do not depend on its scope: segment, dwellings and period.
    static func objective(_ row: CSVRow, segments: [String], declaredIn file: String,
                          _ diagnostics: inout Diagnostics) -> (segment: String, dwellings: Double, period: ObjectivePeriod)? {
        let segment = row["segment"]
        let segmentOK = Self.segment(segment, among: segments, declaredIn: file, at: row.location("segment"), &diagnostics)
        let dwellings = row.decimal("logements", what: "objectif", maximum: Limits.objective, diagnostics: &diagnostics)
        let period = Self.period(row["periode"])
        if period == nil {
            diagnostics.error(at: row.location("periode"),
                              row["periode"].isEmpty ? "période manquante" : "période « \(row["periode"]) » inconnue",
                              hint: "écrivez « an » pour un objectif annuel ou « plan » pour un objectif sur toute la durée du PLH")
        }
        guard segmentOK, let dwellings, let period else { return nil }
        return (segment, dwellings, period)
    }

    /// The cells of a production row after its commune: segment, year (inside the plan) and dwellings.
    static func production(_ row: CSVRow, _ columns: ProductionColumns, segments: [String], plan: ClosedRange<Int>?,
                           declaredIn file: String,
                           _ diagnostics: inout Diagnostics) -> (year: Int, segment: String, dwellings: Int)? {
        let segment = row.text(at: columns.segment)
        let segmentOK = Self.segment(segment, among: segments, declaredIn: file, at: row.location(at: columns.segment), &diagnostics)
        var year = row.year(at: columns.year, what: "année", diagnostics: &diagnostics)
        if let y = year, let plan, !plan.contains(y) {
            diagnostics.error(at: row.location(at: columns.year),
                              "année \(y) hors de la période du PLH (\(plan.lowerBound)-\(plan.upperBound))")
            year = nil
        }
        let dwellings = row.count(at: columns.dwellings, what: "nombre de logements", maximum: Limits.dwellings,
                                  diagnostics: &diagnostics)
        guard segmentOK, let year, let dwellings else { return nil }
        return (year, segment, dwellings)
    }

    /// A plan from its name and years, the same checks for `plh.yaml` and an observatory's `plh.csv`.
    static func plan(name: String, first: Int, last: Int, annual: Int?, firstAt: SourceLocation?, lastAt: SourceLocation?,
                     nameAt: SourceLocation? = nil, _ diagnostics: inout Diagnostics) -> Plan? {
        guard first <= last else {
            diagnostics.error(at: lastAt, "la dernière année du PLH (\(last)) précède la première (\(first))",
                              hint: "un PLH dure six ans : par exemple de 2020 à 2025")
            return nil
        }
        let duration = last - first + 1
        // CCH L302-1: six years; a plan can be extended, so up to eight are taken without a word.
        if duration < 6 || duration > 8 {
            diagnostics.warning(at: firstAt,
                                "le PLH court de \(first) à \(last), soit \(French.count(duration, "an")), alors qu'un PLH dure six ans (CCH L302-1)",
                                hint: "vérifiez la première et la dernière année du plan")
        }
        let plan = Plan(name: name, years: first...last, declaredAnnualObjective: annual)
        // A plan is often named from the year it was adopted, the year before its first: « PLH 2014-2020 »
        // adopted in December 2014, in force from 2015. Other differences are a mistake in one or the other.
        if let named = plan.namedYears?.years, named.upperBound != last || !(first - 1...first).contains(named.lowerBound) {
            diagnostics.warning(at: nameAt ?? firstAt,
                                "le nom du PLH « \(name) » annonce \(named.lowerBound)-\(named.upperBound), mais le plan va de \(first) à \(last)",
                                hint: "corrigez le nom ou les années (premiere_annee, derniere_annee) ; un nom qui commence l'année de l'adoption, la veille de la première année, est admis")
        }
        return plan
    }
}

/// Where a production table's four columns are, found once, for loops over millions of rows.
struct ProductionColumns {
    let code: Int
    let year: Int
    let segment: Int
    let dwellings: Int

    static let required = ["code_insee", "annee", "segment", "logements"]

    init?(_ columns: CSVColumns) {
        guard let code = columns.position("code_insee"), let year = columns.position("annee"),
              let segment = columns.position("segment"), let dwellings = columns.position("logements") else { return nil }
        (self.code, self.year, self.segment, self.dwellings) = (code, year, segment, dwellings)
    }
}

/// Four-digit codes completed with their zero, counted per file: one warning each, not one per row.
struct PaddedCodes {
    private var byFile: [String: (count: Int, first: SourceLocation, example: String)] = [:]

    mutating func note(_ raw: String, at location: SourceLocation) {
        byFile[location.path, default: (0, location, raw)].count += 1
    }

    func report(into diagnostics: inout Diagnostics) {
        for (_, padded) in byFile.sorted(by: { $0.key < $1.key }) {
            let plural = padded.count > 1 ? "s" : ""
            diagnostics.warning(at: padded.first, "\(French.integer(padded.count)) code\(plural) INSEE à 4 chiffres complété\(plural) par un zéro initial (\(padded.example) lu 0\(padded.example))",
                                hint: "le tableur a perdu le zéro initial : mettez la colonne code_insee au format texte")
        }
    }
}
