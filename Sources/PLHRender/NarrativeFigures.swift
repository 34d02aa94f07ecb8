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

    /// Every name and its value, in a stable order for listing.
    public let names: [(name: String, value: String)]
    private let values: [String: String]

    init(names: [(String, String)]) {
        self.names = names
        self.values = Dictionary(names, uniquingKeysWith: { a, _ in a })
    }

    /// The narrative's Markdown with its figure tags replaced; unknown names are located errors.
    func expand(_ narrative: Narrative, errors: inout [Diagnostic]) -> String {
        let tags = TemplateTag.scan(narrative.markdown)
        guard !tags.isEmpty else { return narrative.markdown }
        // Linear: `String.UnicodeScalarView.append(contentsOf:)` copies the whole string at each call, which
        // made this quadratic (a 20 MB narrative with tags took 502 s). The text between tags is copied as
        // slices of the narrative, whose indices are found walking forward once.
        let scalars = narrative.markdown.unicodeScalars
        var out = ""
        out.reserveCapacity(narrative.markdown.utf8.count)
        var walked = (offset: 0, index: scalars.startIndex)
        func index(_ offset: Int) -> String.Index {
            walked = (offset, scalars.index(walked.index, offsetBy: offset - walked.offset))
            return walked.index
        }
        func copy(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            let start = index(range.lowerBound)
            out += String(scalars[start..<index(range.upperBound)])
        }
        var cursor = 0
        for tag in tags {
            copy(cursor..<tag.range.lowerBound)
            cursor = tag.range.upperBound
            let location = SourceLocation(path: narrative.displayPath, line: tag.line, column: tag.column)
            switch tag.kind {
            case .comment:
                continue
            case .variable:
                if let value = values[tag.name] {
                    out += value
                } else {
                    errors.append(Diagnostic(at: location, "chiffre « \(tag.name) » inconnu",
                                             hint: suggestion(for: tag.name, among: values.keys.sorted())
                                                 ?? "plh-bilan chiffres DOSSIER_PROJET liste les chiffres disponibles"))
                }
            default:
                errors.append(Diagnostic(at: location, "seuls les chiffres {{nom}} sont permis dans un récit",
                                         hint: "écrivez par exemple {{EPCI.ensemble.taux_plan}}"))
            }
        }
        out += String(scalars[index(cursor)...])
        return out
    }
}
