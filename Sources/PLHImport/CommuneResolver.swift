import Foundation
import PLHLoad
import PLHModel

/// Finds which commune of the EPCI a code in an imported file stands for: a member, an old code merged into
/// a member (COG `COMD`/`COMA`, or an arrondissement `ARM`), or a commune elsewhere.
struct CommuneResolver {
    enum Resolution {
        case member(Commune)
        /// An old code of a commune merged into a member (commune nouvelle).
        case merged(old: String, oldName: String, into: Commune)
        /// A municipal arrondissement (Paris, Lyon, Marseille) of a member: counted in its commune.
        case arrondissement(into: Commune)
        /// A commune of France outside the EPCI (current, or an old code whose commune is outside).
        case outside
        /// A code the COG does not know.
        case unknown
    }

    let members: [String: Commune]
    /// Old codes → (name, parent code).
    var former: [String: (name: String, parent: String)] = [:]
    /// Municipal arrondissements → parent code.
    var arrondissements: [String: String] = [:]
    var current: Set<String> = []

    /// `cog` is the COG file to read, the shipped one when nil.
    init(communes: [Commune], cog: URL? = nil) throws(BilanError) {
        let cog = try ReferenceData.file(cog, orShipped: ReferenceData.cogCommunes)
        members = Dictionary(communes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let path = cog.lastPathComponent
        let bytes = try readInputFile(cog.path)
        let document = try CSVDocument(bytes: bytes, path: path)
        let table = try header(document.records.first, path: path, delimiter: document.delimiter,
                               required: ["typecom", "com", "libelle", "comparent"])
        var diagnostics = Diagnostics()
        for record in document.records.dropFirst() {
            guard let row = table.row(record, diagnostics: &diagnostics) else { continue }
            let code = row["com"]
            switch row["typecom"] {
            case "COM": current.insert(code)
            case "ARM": arrondissements[code] = row["comparent"]
            case "COMD", "COMA":
                if code != row["comparent"], former[code] == nil { former[code] = (row["libelle"], row["comparent"]) }
            default: break
            }
        }
        try diagnostics.throwIfErrors()
    }

    func resolve(_ code: String) -> Resolution {
        if let commune = members[code] { return .member(commune) }
        if current.contains(code) { return .outside }
        if let parent = arrondissements[code] { return members[parent].map { .arrondissement(into: $0) } ?? .outside }
        if let old = former[code] {
            if let commune = members[old.parent] { return .merged(old: code, oldName: old.name, into: commune) }
            return .outside
        }
        return .unknown
    }
}

