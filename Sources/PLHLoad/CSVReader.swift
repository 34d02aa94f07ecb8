import PLHModel

/// The text encodings a CSV file may come in.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 avec BOM"
    case windows1252 = "Windows-1252"
}

/// One record of a CSV file, with where each field starts.
public struct CSVRecord: Sendable {
    /// Line (from 1) where the record starts.
    public var line: Int
    public var fields: [String]
    /// Column (from 1, in characters) where each field starts.
    public var columns: [Int]
}

/// Which fields of each record a reader wants as text (nil until it knows, after the header): the others are
/// given as `standIn` when they are not blank, and as they are when they might be.
final class CSVFieldFilter {
    static let standIn = "·"
    var kept: [Bool]?
}

/// A CSV file split into records: syntax only, no meaning.
///
/// Accepts `;`, `,` or tab separators (detected from the first line), CRLF or LF,
/// quoted fields with doubled quotes, UTF-8 with or without BOM, and Windows-1252.
public struct CSVDocument: Sendable {
    public var path: String
    public var delimiter: Character
    public var encoding: TextEncoding
    /// Non-empty records; blank lines are skipped.
    public var records: [CSVRecord]

    /// Splits `bytes`; `path` is only used in messages.
    public init(bytes: [UInt8], path: String, delimiter: Character? = nil, encoding declared: TextEncoding? = nil) throws(BilanError) {
        var records: [CSVRecord] = []
        let (sep, encoding) = try Self.stream(bytes: bytes, path: path, delimiter: delimiter, encoding: declared) { record throws(BilanError) in
            records.append(record)
        }
        self.path = path
        self.encoding = encoding
        self.delimiter = sep
        self.records = records
    }

    /// Reads `bytes` record by record without keeping them: `body` gets each non-empty record, whose
    /// storage is reused for the next one. For large files (a national production table).
    @discardableResult
    public static func stream(bytes: [UInt8], path: String, delimiter: Character? = nil, encoding declared: TextEncoding? = nil,
                              _ body: (CSVRecord) throws(BilanError) -> Void) throws(BilanError) -> (Character, TextEncoding) {
        try stream(bytes: bytes, path: path, delimiter: delimiter, encoding: declared, keeping: nil, body)
    }

    /// `stream`, where the fields that `filter` leaves out (once its reader has set it, after the header) are not
    /// made into strings: a wide file whose reader needs few columns.
    static func stream(bytes: [UInt8], path: String, delimiter: Character? = nil, encoding declared: TextEncoding? = nil,
                       keeping filter: CSVFieldFilter?,
                       _ body: (CSVRecord) throws(BilanError) -> Void) throws(BilanError) -> (Character, TextEncoding) {
        let (utf8, encoding) = try utf8Bytes(bytes, path: path, declared: declared)
        let sep = delimiter.map { UInt8(ascii: $0.unicodeScalars.first!) } ?? detectDelimiter(utf8)
        try split(utf8, delimiter: sep, path: path, keeping: filter, body)
        return (Character(Unicode.Scalar(sep)), encoding)
    }

    /// The file as UTF-8 bytes (BOM removed, Windows-1252 transcoded), without building a String for valid UTF-8.
    static func utf8Bytes(_ bytes: [UInt8], path: String, declared: TextEncoding?) throws(BilanError) -> ([UInt8], TextEncoding) {
        if declared != .windows1252 {
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            let body = bom ? bytes[3...] : bytes[...]
            if firstInvalidUTF8(body) == body.count {
                return (Array(body), bom ? .utf8BOM : .utf8)
            }
        }
        let (text, encoding) = try decode(bytes, path: path, declared: declared)
        return (Array(text.utf8), encoding)
    }

    /// Decodes UTF-8 (with or without BOM), else Windows-1252; `declared` forces one of them.
    package static func decode(_ bytes: [UInt8], path: String, declared: TextEncoding? = nil) throws(BilanError) -> (String, TextEncoding) {
        var body = bytes[...]
        var encoding = TextEncoding.utf8
        if body.starts(with: [0xEF, 0xBB, 0xBF]) && declared != .windows1252 {
            body = body.dropFirst(3)
            encoding = .utf8BOM
        }
        if declared != .windows1252, let text = String(validating: body, as: UTF8.self) {
            return (text, encoding)
        }
        if declared == .utf8 || declared == .utf8BOM {
            let offset = firstInvalidUTF8(body)
            let line = body[..<(body.startIndex + offset)].filter { $0 == 0x0A }.count + 1
            throw BilanError(.input, at: SourceLocation(path: path, line: line),
                             "le fichier n'est pas en UTF-8 comme déclaré (fichiers.encodage)",
                             hint: "enregistrez-le en « CSV UTF-8 » ou déclarez encodage: windows-1252")
        }
        if encoding == .utf8BOM {
            throw BilanError(.input, at: SourceLocation(path: path), "le fichier annonce l'UTF-8 (BOM) mais contient des octets invalides",
                             hint: "enregistrez-le de nouveau en « CSV UTF-8 » depuis le tableur")
        }
        var scalars = String.UnicodeScalarView()
        var line = 1, column = 1
        for byte in body {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            if byte >= 0x80 && byte < 0xA0 {
                guard let mapped = windows1252High[Int(byte - 0x80)] else {
                    throw BilanError(.input, at: SourceLocation(path: path, line: line, column: column - 1),
                                     "octet 0x\(String(byte, radix: 16, uppercase: true)) inconnu : le fichier n'est ni en UTF-8 ni en Windows-1252",
                                     hint: "enregistrez-le en « CSV UTF-8 » depuis le tableur")
                }
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return (String(scalars), .windows1252)
    }

    /// Offset of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let count = buffer.count
            var index = 0
            while index < count {
                // ASCII, the common case, eight bytes at a time; a multi-byte sequence through the standard parser.
                if index + 8 <= count,
                   UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
                if base[index] < 0x80 { index += 1; continue }
                var parser = Unicode.UTF8.ForwardParser()
                var iterator = UnsafeBufferPointer(rebasing: buffer[index...]).makeIterator()
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): index += encoded.count
                case .emptyInput, .error: return index
                }
            }
            return count
        }
    }

    /// Picks the separator that occurs most often outside quotes on the first line; `;` on a tie or none.
    package static func detectDelimiter(_ utf8: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0, UInt8(ascii: ","): 0]
        var inQuotes = false
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if !inQuotes && (byte == 0x0A || byte == 0x0D) { break }
            else if !inQuotes, counts[byte] != nil { counts[byte]! += 1 }
        }
        let order: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: ",")]
        var best = order[0]
        for candidate in order where counts[candidate]! > counts[best]! { best = candidate }
        return best
    }

    static func split(_ utf8: [UInt8], delimiter: UInt8, path: String, keeping filter: CSVFieldFilter? = nil,
                      _ body: (CSVRecord) throws(BilanError) -> Void) throws(BilanError) {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var record = CSVRecord(line: 1, fields: [], columns: [])
        // A quoted field's text, unquoted; an unquoted field is one run of the input, `run`, and is not copied.
        var field: [UInt8] = []
        var run = 0..<0
        var line = 1, column = 1
        var recordLine = 1, fieldColumn = 1
        var inQuotes = false, wasQuoted = false
        var quoteLine = 0, quoteColumn = 0
        var i = 0
        let n = utf8.count

        func endField() {
            let first = wasQuoted ? field.first : (run.isEmpty ? nil : utf8[run.lowerBound])
            if let kept = filter?.kept, !(record.fields.count < kept.count && kept[record.fields.count]),
               let first, first > 0x20 && first < 0x80 {
                // A field left out: a stand-in that is not blank, as the field is not, so that blank rows stay blank.
                record.fields.append(CSVFieldFilter.standIn)
            } else if wasQuoted {
                record.fields.append(String(decoding: field, as: UTF8.self))
            } else {
                record.fields.append(String(decoding: utf8[run], as: UTF8.self))
            }
            record.columns.append(fieldColumn)
            if !field.isEmpty { field.removeAll(keepingCapacity: true) }
            run = 0..<0
        }
        func endRecord() throws(BilanError) {
            let blank = !wasQuoted && field.isEmpty && run.isEmpty && record.fields.isEmpty
            endField()
            wasQuoted = false
            if !blank {
                record.line = recordLine
                try body(record)
            }
            record.fields.removeAll(keepingCapacity: true)
            record.columns.removeAll(keepingCapacity: true)
        }

        while i < n {
            let byte = utf8[i]
            if inQuotes {
                if byte == quote {
                    if i + 1 < n && utf8[i + 1] == quote {
                        field.append(quote); i += 2; column += 2; continue
                    }
                    inQuotes = false
                } else {
                    field.append(byte)
                    if byte == lf { line += 1; column = 0 }
                }
                i += 1
                if byte & 0xC0 != 0x80 { column += 1 }
                continue
            }
            switch byte {
            case quote where field.isEmpty && run.isEmpty && !wasQuoted:
                inQuotes = true; wasQuoted = true
                quoteLine = line; quoteColumn = column
            case quote:
                throw BilanError(.input, at: SourceLocation(path: path, line: line, column: column),
                                 "guillemet inattendu au milieu d'un champ",
                                 hint: "entourez tout le champ de guillemets et doublez ceux qu'il contient (\"\")")
            case delimiter:
                endField()
                wasQuoted = false
                fieldColumn = column + 1
            case cr, lf:
                if byte == cr && i + 1 < n && utf8[i + 1] == lf { i += 1 }
                try endRecord()
                line += 1; column = 0
                recordLine = line; fieldColumn = 1
            default:
                if wasQuoted {
                    throw BilanError(.input, at: SourceLocation(path: path, line: line, column: column),
                                     "texte après le guillemet fermant d'un champ",
                                     hint: "doublez les guillemets à l'intérieur d'un champ entre guillemets (\"\")")
                }
                // The rest of an unquoted field in one go: up to a separator, an end of line or a quote. Columns count
                // characters: every byte but UTF-8's continuation bytes.
                var j = i, continuation = 0
                utf8.withUnsafeBufferPointer { bytes in
                    while j < n {
                        let b = bytes[j]
                        if b == delimiter || b == cr || b == lf || b == quote { break }
                        if b >= 0x80 && b & 0xC0 == 0x80 { continuation += 1 }
                        j += 1
                    }
                }
                run = i..<j
                column += j - i - continuation
                i = j
                continue
            }
            i += 1
            if byte & 0xC0 != 0x80 { column += 1 }
        }
        if inQuotes {
            throw BilanError(.input, at: SourceLocation(path: path, line: quoteLine, column: quoteColumn),
                             "guillemet ouvert jamais refermé",
                             hint: "ajoutez le guillemet fermant (\") à la fin du champ")
        }
        if !field.isEmpty || !run.isEmpty || !record.fields.isEmpty || wasQuoted { try endRecord() }
    }
}

extension CSVDocument {
    /// `text` in Windows-1252, for projects that declare that encoding; nil when a character has no byte there.
    package static func windows1252Bytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 || (scalar.value >= 0xA0 && scalar.value < 0x100) {
                bytes.append(UInt8(scalar.value))
            } else if let index = windows1252High.firstIndex(of: scalar) {
                bytes.append(0x80 + UInt8(index))
            } else {
                return nil
            }
        }
        return bytes
    }
}

/// Windows-1252 code points for bytes 0x80-0x9F; nil where the code page defines none.
private let windows1252High: [Unicode.Scalar?] = [
    "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
    "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
    nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
    "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
]
