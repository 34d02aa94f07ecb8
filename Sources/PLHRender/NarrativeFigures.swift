import PLHCompute
import PLHModel

/// The figures a narrative may cite with `{{…}}`, expanded before cmark runs, so that the prose
/// never disagrees with the tables: the same French strings as the tables.
///
/// Names: `EPCI.<segment>.<champ>`, `<catégorie>.<segment>.<champ>`, `<code INSEE>.<segment>.<champ>`
/// (segment: a segment code or `ensemble`), and a few context figures (`bilan.attendu`…).
public struct NarrativeFigures: Sendable {
    public static let fields = ["objectif_plan", "objectif_a_date", "objectif_annuel", "production", "rythme_annuel",
                                "taux_plan", "taux_a_date", "part_production", "part_objectif"]

    /// A figure of the tables: a unit's row (a segment or `ensemble`) and a field.
    typealias Cell = @Sendable (Figures, String) -> String?

    /// Context figures (`bilan.attendu`…), in listing order.
    private let context: [(name: String, value: String)]
    private let contextValues: [String: String]
    /// The units figures are cited for (`EPCI`, categories, communes), in listing order, and by code.
    private let units: [(code: String, figures: UnitFigures)]
    private let unitIndex: [String: Int]
    private let cell: Cell

    /// Figures made on demand: a bilan's narratives cite a few of the thousands of names a plan has.
    init(context: [(String, String)], units: [(String, UnitFigures)], cell: @escaping Cell) {
        self.context = context.map { (name: $0.0, value: $0.1) }
        self.contextValues = Dictionary(context, uniquingKeysWith: { a, _ in a })
        self.units = units.map { (code: $0.0, figures: $0.1) }
        var index: [String: Int] = [:]
        for (position, unit) in units.enumerated() where index[unit.0] == nil { index[unit.0] = position }
        self.unitIndex = index
        self.cell = cell
    }

    /// Fixed names and values only (tests, previews without a project).
    init(names: [(String, String)]) {
        self.init(context: names, units: [], cell: { _, _ in nil })
    }

    /// Every name and its value, in a stable order for listing.
    public var names: [(name: String, value: String)] {
        var names = context
        for unit in units {
            for (segment, figures) in Self.rows(unit.figures) {
                for field in Self.fields {
                    if let value = cell(figures, field) { names.append(("\(unit.code).\(segment).\(field)", value)) }
                }
            }
        }
        return names
    }

    static func rows(_ unit: UnitFigures) -> [(String, Figures)] {
        unit.bySegment.map { ($0.segment.code, $0.figures) } + [("ensemble", unit.total)]
    }

    /// The value of one name, or nil when the plan has no such figure.
    public func value(_ name: String) -> String? {
        if let value = contextValues[name] { return value }
        // `<unit>.<segment>.<field>`: the field follows the last dot; a unit's code may itself hold dots.
        guard let lastDot = name.lastIndex(of: ".") else { return nil }
        let field = String(name[name.index(after: lastDot)...])
        guard Self.fields.contains(field) else { return nil }
        let head = name[..<lastDot]
        var dot = head.startIndex
        while let next = head[dot...].firstIndex(of: ".") {
            if let position = unitIndex[String(head[..<next])] {
                let segment = head[head.index(after: next)...]
                if let figures = Self.rows(units[position].figures).first(where: { $0.0 == segment })?.1 {
                    return cell(figures, field)
                }
            }
            dot = head.index(after: next)
        }
        return nil
    }

    /// The narrative's Markdown with its figure tags replaced; unknown names are located errors.
    func expand(_ narrative: Narrative, errors: inout [Diagnostic]) -> String {
        let bytes = Array(narrative.markdown.utf8)
        let tags = bytes.withUnsafeBufferPointer { TemplateTag.scan($0) }
        guard !tags.isEmpty else { return narrative.markdown }
        // Linear: the text between tags is copied as byte slices of the narrative (a 20 MB narrative with tags
        // once took 502 s when each copy re-walked the string).
        var out = ""
        out.reserveCapacity(bytes.count)
        func copy(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            out += String(decoding: bytes[range], as: UTF8.self)
        }
        var known: [String]?  // every name, sorted, for suggestions: made at the first unknown one
        var cursor = 0
        for tag in tags {
            copy(cursor..<tag.range.lowerBound)
            cursor = tag.range.upperBound
            let location = SourceLocation(path: narrative.displayPath, line: tag.line, column: tag.column)
            switch tag.kind {
            case .comment:
                continue
            case .variable:
                if let value = value(tag.name) {
                    out += value
                } else {
                    if known == nil { known = names.map(\.name).sorted() }
                    errors.append(Diagnostic(at: location, "chiffre « \(tag.name) » inconnu",
                                             hint: suggestion(for: tag.name, among: known ?? [])
                                                 ?? "plh-bilan chiffres DOSSIER_PROJET liste les chiffres disponibles"))
                }
            default:
                errors.append(Diagnostic(at: location, "seuls les chiffres {{nom}} sont permis dans un récit",
                                         hint: "écrivez par exemple {{EPCI.ensemble.taux_plan}}"))
            }
        }
        copy(cursor..<bytes.count)
        return out
    }
}
