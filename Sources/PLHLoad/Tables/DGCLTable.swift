import PLHBase
import PLHModel

/// The DGCL's file of EPCIs and their member communes (`epcicom`), one commune a row: the one reader that
/// `init` and observatories share.
///
/// Columns are found by name, with the names of extracts such as `call_246200364_communes_2019.csv` as well;
/// the municipal population is found by its prefix (`pmun_2025`, `pmun_2019_dgcl`), the latest vintage
/// first, so that next year's file works as this year's does.
package struct DGCLTable {
    /// One commune of the file, checked.
    package struct Row {
        package var siren: String
        package var epciName: String
        /// The département of the EPCI's seat, when the file gives it (`dept`).
        package var department: String
        package var code: String
        package var name: String
        package var population: Int
        /// Where the commune's code is, for messages about it.
        package var location: SourceLocation
    }

    /// The population vintage, `2025` for `pmun_2025`.
    package private(set) var vintage = ""
    package private(set) var rows = 0

    private var table: CSVTable?
    private var siren = 0, epciName = 0, code = 0, name = 0, population = 0
    private var department: Int?

    static let sirenNames = ["siren", "epci_siren", "siren_epci"]
    static let epciNames = ["raison_sociale", "epci_nom", "nom_epci"]
    static let codeNames = ["insee", "code_insee", "depcom"]
    static let communeNames = ["nom_membre", "nom_commune", "libelle"]
    static let departmentNames = ["dept", "dep_epci"]

    package init() {}

    /// Streams the file's communes to `body`; a bad row is reported in `diagnostics` and skipped, a bad header thrown.
    package static func read(_ bytes: [UInt8], path: String, encoding: TextEncoding? = nil, diagnostics: inout Diagnostics,
                             _ body: (Row) -> Void) throws(BilanError) -> DGCLTable {
        var reader = DGCLTable()
        var padded = PaddedCodes()
        let delimiter = Character(Unicode.Scalar(CSVDocument.detectDelimiter(bytes)))
        // The national file has 14 columns, of which 6 are read.
        let filter = CSVFieldFilter()
        try CSVDocument.stream(bytes: bytes, path: path, delimiter: delimiter, encoding: encoding, keeping: filter) { record throws(BilanError) in
            guard let table = reader.table else {
                try reader.mapHeader(record, path: path, delimiter: delimiter)
                var kept = [Bool](repeating: false, count: record.fields.count)
                for position in [reader.siren, reader.epciName, reader.code, reader.name, reader.population] + (reader.department.map { [$0] } ?? []) {
                    kept[position] = true
                }
                filter.kept = kept
                return
            }
            guard let row = table.row(record, diagnostics: &diagnostics) else { return }
            reader.rows += 1
            guard let code = TableRules.communeCode(row.text(at: reader.code), at: row.location(at: reader.code), padded: &padded,
                                                    &diagnostics),
                  let population = row.count(at: reader.population, what: "population", maximum: Limits.population,
                                             diagnostics: &diagnostics) else { return }
            body(Row(siren: row.text(at: reader.siren), epciName: row.text(at: reader.epciName),
                     department: reader.department.map { row.text(at: $0) } ?? "", code: code, name: row.text(at: reader.name),
                     population: population, location: row.location(at: reader.code)))
        }
        if reader.table == nil {
            throw BilanError(.input, at: SourceLocation(path: path, line: 1), "le fichier des communes est vide",
                             hint: "la première ligne doit nommer les colonnes : siren, raison_sociale, insee, nom_membre, pmun_2025…")
        }
        padded.report(into: &diagnostics)
        return reader
    }

    private mutating func mapHeader(_ record: CSVRecord, path: String, delimiter: Character) throws(BilanError) {
        let names = record.fields.map { normalisedName(trimmed($0)) }
        let populations = names.compactMap { name -> (String, String)? in
            guard name.hasPrefix("pmun_") else { return nil }
            let year = name.dropFirst(5).prefix(4)
            return year.count == 4 && year.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? (name, String(year)) : nil
        }
        guard let latest = populations.max(by: { $0.1 < $1.1 }) else {
            throw BilanError(.input, at: SourceLocation(path: path, line: record.line),
                             "aucune colonne de population municipale (pmun_AAAA) dans l'en-tête",
                             hint: "le fichier doit suivre le format DGCL epcicom : siren, raison_sociale, insee, nom_membre, pmun_2025…")
        }
        vintage = latest.1
        func pick(_ aliases: [String]) -> String { aliases.first(where: names.contains) ?? aliases[0] }
        let wanted = [pick(Self.sirenNames), pick(Self.epciNames), pick(Self.codeNames), pick(Self.communeNames), latest.0]
        let departmentName = Self.departmentNames.first(where: names.contains)
        var diagnostics = Diagnostics()
        let table = CSVTable(header: record, path: path, delimiter: delimiter, required: wanted,
                             optional: departmentName.map { [$0] } ?? [], ignoresOthers: true, diagnostics: &diagnostics)
        try diagnostics.throwIfErrors()
        let positions = wanted.map { table.columns.position($0)! }
        (siren, epciName, code, name, population) = (positions[0], positions[1], positions[2], positions[3], positions[4])
        department = departmentName.flatMap { table.columns.position($0) }
        self.table = table
    }
}
