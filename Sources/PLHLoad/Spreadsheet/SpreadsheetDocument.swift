import Foundation
import PLHBase
import PLHModel

/// The workbook formats a project table may come in, besides CSV, chosen by the file's extension.
public enum SpreadsheetFormat: String, Sendable {
    case xlsx
    case ods

    /// The format of `path` by its extension (any case), nil for any other file (CSV).
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), path[dot...].count <= 5 else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// The workbook formats that are not read (`.xls`, `.xlsm`, `.xlsb`, `.numbers`), named for the message; nil otherwise.
    static func unread(_ path: String) -> String? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        switch ext {
        case "xls": return "Excel 97-2003 (.xls)"
        case "xlsm", "xlsb": return "Excel .\(ext)"
        case "numbers": return "Numbers (.numbers)"
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .xlsx: "Excel (.xlsx)"
        case .ods: "OpenDocument (.ods)"
        }
    }

    var saveHint: String {
        "ouvrez-le dans le tableur et enregistrez-le au format \(name), ou en CSV sous un nom en .csv"
    }
}

/// One worksheet of an `.xlsx` or `.ods` workbook as the records a CSV file gives: each field as text, the line
/// its row number and each column its column number (A = 1), so that the same table readers read both.
///
/// Messages name the sheet with the file: `objectifs.xlsx (feuille « Objectifs »):12:3` is row 12, column C.
/// Numbers come as the shortest text that shows them (`12`, `12.5`, `0.1`), text cells as typed (`01001`);
/// rows with no filled cell are dropped and trailing empty cells cut, repeated rows are never expanded when empty.
public struct SpreadsheetDocument: Sendable {
    /// The workbook and the sheet, as messages show them: `objectifs.xlsx (feuille « Objectifs »)`.
    public var path: String
    /// The sheet read.
    public var sheet: String
    /// Every sheet of the workbook, in order.
    public var sheets: [String]
    /// Rows with at least one filled cell, in order; each field is a cell, from column A to the last filled one.
    public var records: [CSVRecord]

    /// Reads the sheet named `sheet` (the first visible one when nil) of the workbook in `bytes`; `path` is
    /// the file as messages show it, `namedAt` where the sheet is named (the error when it is missing points there).
    /// The format is the archive's: an `.ods` saved under `.xlsx` is read all the same.
    public init(bytes: [UInt8], path: String, format: SpreadsheetFormat, sheet: String? = nil, namedAt: SourceLocation? = nil,
                limits: SpreadsheetLimits = SpreadsheetLimits()) throws(BilanError) {
        var archive = try WorkbookArchive(bytes: bytes, path: path, format: format, limits: limits)
        let wanted = sheet.map { WantedSheet(name: $0, namedAt: namedAt) }
        if archive.has("content.xml") && !archive.has("xl/workbook.xml") {
            self = try ODSReader.read(&archive, sheet: wanted)
        } else if archive.has("[Content_Types].xml") || archive.has("xl/workbook.xml") {
            self = try XLSXReader.read(&archive, sheet: wanted)
        } else {
            throw BilanError(.input, at: SourceLocation(path: path),
                             "cette archive ZIP n'est pas un classeur \(format.name) : ni xl/workbook.xml ni content.xml",
                             hint: format.saveHint)
        }
    }

    init(path: String, sheet: String, sheets: [String], records: [CSVRecord]) {
        self.path = path
        self.sheet = sheet
        self.sheets = sheets
        self.records = records
    }

    /// `objectifs.xlsx (feuille « Objectifs »)`: the path messages give for a sheet of a workbook.
    public static func displayPath(_ file: String, sheet: String) -> String {
        "\(file) (feuille « \(sheet) »)"
    }

    /// The sheet to read among `sheets` (name and whether it is hidden): the one named `wanted` (exactly, else
    /// whatever its case and accents), else the first visible one.
    static func choose(_ wanted: WantedSheet?, among sheets: [(name: String, hidden: Bool)], path: String) throws(BilanError) -> Int {
        let names = sheets.map(\.name)
        guard let wanted else {
            if let index = sheets.firstIndex(where: { !$0.hidden }) ?? (sheets.isEmpty ? nil : 0) { return index }
            throw BilanError(.input, at: SourceLocation(path: path), "le classeur ne contient aucune feuille")
        }
        if let index = names.firstIndex(of: wanted.name) ?? names.firstIndex(where: wanted.matches) { return index }
        let listed = names.map { "« \($0) »" }.joined(separator: ", ")
        throw BilanError(.input, at: wanted.namedAt ?? SourceLocation(path: path), "pas de feuille « \(wanted.name) » dans \(path)",
                         hint: suggestion(for: wanted.name, among: names).map { "\($0) Feuilles du classeur : \(listed)" }
                             ?? "feuilles du classeur : \(listed)")
    }

    /// `record` as wide as a header of `width` cells: padded with empty cells, or nil (reported) when it has a
    /// filled cell beyond the header's last column.
    package func fitted(_ record: CSVRecord, width: Int, diagnostics: inout Diagnostics) -> CSVRecord? {
        var record = record
        if record.fields.count > width {
            let column = (width..<record.fields.count).first { !isBlank(record.fields[$0]) }.map { $0 + 1 } ?? width + 1
            diagnostics.error(at: SourceLocation(path: path, line: record.line, column: column),
                              "cellule remplie hors du tableau : la colonne \(Self.columnName(column)) n'a pas d'en-tête",
                              hint: "l'en-tête (première ligne) nomme \(French.count(width, "colonne")) ; videz les cellules à droite du tableau ou nommez leur colonne")
            return nil
        }
        while record.fields.count < width {
            record.fields.append("")
            record.columns.append(record.columns.count + 1)
        }
        return record
    }

    /// `3` → `C`, `28` → `AB`.
    public static func columnName(_ column: Int) -> String {
        var n = column, letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// A number as stored (`12`, `0.1000000000000001`, `1.25E-2`) written as the spreadsheet shows it, with at
    /// most 15 significant digits and no exponent: `12`, `0.1`, `0.0125`. Text that is not a number is kept.
    static func numberText(_ raw: String) -> String {
        let text = trimmed(raw)
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        let magnitude = Int(floor(log10(abs(value))))
        let decimals = min(max(0, 14 - magnitude), 30)
        var out = String(format: "%.\(decimals)f", value)
        if out.contains(".") {
            while out.hasSuffix("0") { out.removeLast() }
            if out.hasSuffix(".") { out.removeLast() }
        }
        return out == "-0" ? "0" : out
    }
}

/// The sheet asked for, and where it is named.
struct WantedSheet {
    var name: String
    var namedAt: SourceLocation?

    /// The same name whatever its case and accents.
    func matches(_ other: String) -> Bool { normalisedName(other) == normalisedName(name) }
}

/// The records of one sheet, built row by row from its filled cells, under the cell limit.
struct SheetBuilder {
    let path: String
    let limits: SpreadsheetLimits
    private(set) var records: [CSVRecord] = []
    private var cells: [(column: Int, text: String)] = []
    private var kept = 0
    private var ordered = true

    /// The largest column of a workbook (XFD in Excel, the same in LibreOffice).
    static let maxColumn = 16_384
    /// Beyond any spreadsheet's rows, so that a row number never overflows.
    static let maxRow = 100_000_000

    init(path: String, limits: SpreadsheetLimits) {
        self.path = path
        self.limits = limits
    }

    /// A cell of the current row; blank cells are dropped.
    mutating func cell(row: Int, column: Int, _ text: String) throws(BilanError) {
        guard !isBlank(text) else { return }
        guard column >= 1, column <= Self.maxColumn, row >= 1, row <= Self.maxRow else {
            throw BilanError(.input, at: SourceLocation(path: path, line: min(max(row, 1), Self.maxRow)),
                             "cellule hors des limites d'une feuille (ligne \(row), colonne \(column))",
                             hint: "ouvrez le fichier dans le tableur et enregistrez-le de nouveau")
        }
        cells.append((column, text))
    }

    /// Ends row `number`, repeated `repeated` times (ODS writes identical rows once).
    mutating func endRow(_ number: Int, repeated: Int = 1) throws(BilanError) {
        guard !cells.isEmpty else { return }
        defer { cells.removeAll(keepingCapacity: true) }
        if !cells.indices.dropFirst().allSatisfy({ cells[$0 - 1].column < cells[$0].column }) {
            cells.sort { $0.column < $1.column }
        }
        let width = cells.last!.column
        let (total, overflow) = width.multipliedReportingOverflow(by: repeated)
        guard !overflow, kept + total <= limits.cells, number + repeated - 1 <= Self.maxRow else {
            throw BilanError(.input, at: SourceLocation(path: path, line: number),
                             "feuille trop grande : plus de \(French.integer(limits.cells)) cellules jusqu'à cette ligne",
                             hint: "videz les lignes et colonnes hors du tableau, ou enregistrez la feuille en CSV")
        }
        kept += total
        var record = CSVRecord(line: number, fields: Array(repeating: "", count: width), columns: Array(1...width))
        for (column, text) in cells { record.fields[column - 1] = text }
        if let last = records.last, last.line >= number { ordered = false }
        for copy in 0..<repeated {
            record.line = number + copy
            records.append(record)
        }
    }

    /// The records in row order.
    mutating func finish() -> [CSVRecord] {
        if !ordered { records.sort { $0.line < $1.line } }
        return records
    }
}
