import Foundation
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
    /// `fastPath: false` reads every file through the general reader, for tests that compare both.
    package static func read(_ bytes: [UInt8], path: String, encoding: TextEncoding? = nil, diagnostics: inout Diagnostics,
                             fastPath: Bool = true, _ body: (Row) -> Void) throws(BilanError) -> DGCLTable {
        var reader = DGCLTable()
        var padded = PaddedCodes()
        let delimiter = Character(Unicode.Scalar(CSVDocument.detectDelimiter(bytes)))
        // The national file has 14 columns, of which 6 are read.
        let filter = CSVFieldFilter()
        // The national file's clean shape is read straight from its bytes; anything else, or any row that would be
        // reported, sends the whole file through the general reader below, which words the messages.
        if fastPath, let fast = try fastRead(bytes, path: path, encoding: encoding, delimiter: delimiter) {
            for row in fast.rows { body(row) }
            fast.reader.padded.report(into: &diagnostics)
            return fast.reader.table
        }
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

    /// The rows of a file whose every data line is plain: no quote, as many fields as the header, a valid commune
    /// code and a population of digits in each. Nil at the first line that is not, for the general reader to read
    /// and report; the header's own errors are thrown, as the general reader throws them.
    static func fastRead(_ bytes: [UInt8], path: String, encoding: TextEncoding?,
                                 delimiter: Character) throws(BilanError) -> (reader: (table: DGCLTable, padded: PaddedCodes), rows: [Row])? {
        guard encoding != .windows1252, let (utf8, _) = try? CSVDocument.utf8Bytes(bytes, path: path, declared: encoding),
              let separator = delimiter.asciiValue else { return nil }
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        guard let headerEnd = utf8.firstIndex(of: lf) ?? (utf8.isEmpty ? nil : utf8.count),
              !utf8[..<headerEnd].contains(quote), !utf8[..<headerEnd].dropLast().contains(cr) else { return nil }
        var header: CSVRecord?
        try CSVDocument.split(Array(utf8[..<headerEnd]), delimiter: separator, path: path) { header = $0 }
        guard let header else { return nil }
        var reader = DGCLTable()
        try reader.mapHeader(header, path: path, delimiter: delimiter)
        guard let table = reader.table else { return nil }
        let fieldCount = table.columns.count
        var padded = PaddedCodes()
        var diagnostics = Diagnostics()
        var rows: [Row] = []
        rows.reserveCapacity(utf8.count / 90)
        let plain = utf8.withUnsafeBufferPointer { buffer -> Bool in
            let n = buffer.count
            var starts = [Int](repeating: 0, count: fieldCount + 1)
            // A field's text, trimmed as the general reader trims it: only a field that does not start and end with
            // visible ASCII needs a look.
            var quoted = [Bool](repeating: false, count: fieldCount)
            func text(_ field: Int) -> String {
                let range = starts[field]..<(starts[field + 1] - 1)
                if quoted[field] {
                    // Between its quotes, doubled quotes read as one.
                    var unquoted: [UInt8] = []
                    var k = range.lowerBound + 1
                    while k < range.upperBound - 1 {
                        unquoted.append(buffer[k])
                        k += buffer[k] == quote ? 2 : 1
                    }
                    return trimmed(String(decoding: unquoted, as: UTF8.self))
                }
                let string = String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
                guard let first = range.first.map({ buffer[$0] }), let end = range.last.map({ buffer[$0] }),
                      first > 0x20 && first < 0x7F && end > 0x20 && end < 0x7F else { return trimmed(string) }
                return string
            }
            func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                a.count == b.count && memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, a.count) == 0
            }
            var previous = (siren: "", sirenBytes: 0..<0, epciName: "", nameBytes: 0..<0, department: "", departmentBytes: 0..<0)
            var line = 1
            var i = headerEnd + 1
            while i < n {
                line += 1
                // One line: the start of each field, up to its end of line.
                var field = 0
                starts[0] = i
                for k in quoted.indices { quoted[k] = false }
                var j = i
                while j < n {
                    let b = buffer[j]
                    if b == separator {
                        field += 1
                        guard field < fieldCount else { return false }
                        starts[field] = j + 1
                    } else if b == quote && j == starts[field] {
                        // A quoted field, on this line, followed by a separator or the end of the line.
                        var k = j + 1
                        while true {
                            guard k < n, buffer[k] != lf, buffer[k] != cr else { return false }
                            if buffer[k] == quote {
                                if k + 1 < n && buffer[k + 1] == quote { k += 2; continue }
                                break
                            }
                            k += 1
                        }
                        quoted[field] = true
                        j = k + 1
                        guard j >= n || buffer[j] == separator || buffer[j] == lf || buffer[j] == cr else { return false }
                        continue
                    } else if b == lf || b == quote || b == cr {
                        break
                    }
                    j += 1
                }
                var next = j + 1
                if j < n && buffer[j] == quote { return false }
                if j < n && buffer[j] == cr {
                    // CRLF only; a CR alone ends a record in the general reader, which counts it as a line.
                    guard j + 1 < n, buffer[j + 1] == lf else { return false }
                    next = j + 2
                }
                if j == i {
                    // An empty line: no record.
                    i = next
                    continue
                }
                guard field == fieldCount - 1 else { return false }
                starts[fieldCount] = j + 1
                func range(_ k: Int) -> Range<Int> { starts[k]..<(starts[k + 1] - 1) }
                guard !quoted[reader.population] else { return false }
                // The code's column, in characters from the line's start.
                var column = 1
                for k in i..<starts[reader.code] where buffer[k] & 0xC0 != 0x80 { column += 1 }
                let location = SourceLocation(path: path, line: line, column: column)
                guard let code = TableRules.communeCode(text(reader.code), at: location, padded: &padded, &diagnostics) else {
                    return false
                }
                // The population: one to nine digits and nothing else (the general reader's plain count), within the limit.
                let digits = range(reader.population)
                var end = digits.lowerBound
                guard let population = FastProduction.digits(buffer.baseAddress!, &end, digits.upperBound),
                      end == digits.upperBound, population <= Limits.population else { return false }
                // An EPCI's communes follow each other: its SIREN, name and département are made once for them all.
                let sirenBytes = range(reader.siren), nameBytes = range(reader.epciName)
                if !same(sirenBytes, previous.sirenBytes) {
                    previous.siren = text(reader.siren)
                    previous.sirenBytes = sirenBytes
                }
                if !same(nameBytes, previous.nameBytes) {
                    previous.epciName = text(reader.epciName)
                    previous.nameBytes = nameBytes
                }
                if let d = reader.department {
                    let departmentBytes = range(d)
                    if !same(departmentBytes, previous.departmentBytes) {
                        previous.department = text(d)
                        previous.departmentBytes = departmentBytes
                    }
                }
                rows.append(Row(siren: previous.siren, epciName: previous.epciName, department: previous.department, code: code,
                                name: text(reader.name), population: population, location: location))
                i = next
            }
            return true
        }
        guard plain, !diagnostics.hasErrors else { return nil }
        reader.rows = rows.count
        return ((reader, padded), rows)
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
