import Foundation
import PLHBase
import PLHLoad
import PLHModel

/// A table of a project (communes, objectives, production) as cells to edit, for the forms of the web application.
///
/// Read from CSV (its delimiter and encoding are kept for writing back) or from a sheet of an `.xlsx`/`.ods`
/// workbook (written back as CSV, see `csvFileName`). Rows are known by their line in the file (`line`, 2 for the
/// first data row), so that a diagnostic's location (`cell(at:)`) goes back to the cell it concerns. Columns are
/// found by name whatever their case or accents; the columns the editor does not touch are kept as they are.
public struct EditableTable: Sendable {
    /// One data row: its line in the file read (0 for a row added since), its cells and where each cell starts.
    public struct Row: Sendable {
        public var line: Int
        public var cells: [String]
        var starts: [Int]
    }

    /// The file, relative to the project folder, as `fichiers:` names it.
    public let file: String
    /// The path diagnostics give for this table (`production.xlsx (feuille « Production »)` for a sheet).
    public let displayPath: String
    public private(set) var header: [String]
    public var rows: [Row]
    public let delimiter: Character
    public let encoding: TextEncoding
    /// Whether the table was read from a workbook (then saving writes a CSV file, `csvFileName`).
    public let isWorkbook: Bool
    private let headerStarts: [Int]

    /// Reads `file` of the project `folder`; `sheet` is the sheet `fichiers.feuilles` names, `encoding` the one
    /// `fichiers.encodage` declares.
    public init(folder: URL, file: String, sheet: String? = nil, encoding declared: TextEncoding? = nil) throws(BilanError) {
        try self.init(bytes: try readInputFile(folder.appendingPathComponent(file).path), file: file, sheet: sheet,
                      encoding: declared)
    }

    /// Reads a table from its bytes; `file` says its format (by extension) and is the path of its messages.
    public init(bytes: [UInt8], file: String, sheet: String? = nil, encoding declared: TextEncoding? = nil) throws(BilanError) {
        let records: [CSVRecord]
        self.file = file
        if let format = SpreadsheetFormat(path: file) {
            let document = try SpreadsheetDocument(bytes: bytes, path: file, format: format, sheet: sheet)
            records = document.records
            displayPath = document.path
            delimiter = ";"
            encoding = .utf8
            isWorkbook = true
        } else {
            let document = try CSVDocument(bytes: bytes, path: file, encoding: declared)
            records = document.records
            displayPath = file
            delimiter = document.delimiter
            encoding = document.encoding
            isWorkbook = false
        }
        let header = records.first?.fields.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        self.header = header
        headerStarts = records.first?.columns ?? []
        rows = records.dropFirst().compactMap { record in
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return nil }
            var cells = record.fields
            while cells.count < header.count { cells.append("") }
            return Row(line: record.line, cells: cells, starts: record.columns)
        }
    }

    /// A table with this header and no row, for a file that does not exist yet.
    public init(file: String, header: [String]) {
        self.file = file
        displayPath = file
        self.header = header
        rows = []
        delimiter = ";"
        encoding = .utf8
        isWorkbook = false
        headerStarts = []
    }

    /// The position of a column, found whatever its case, accents or spacing.
    public func column(_ name: String) -> Int? {
        header.firstIndex { normalisedName($0) == normalisedName(name) }
    }

    public func has(_ column: String) -> Bool { self.column(column) != nil }

    /// Adds a column at the end (empty in every row) unless it is there.
    public mutating func addColumn(_ name: String) {
        guard column(name) == nil else { return }
        header.append(name)
        for i in rows.indices { rows[i].cells.append("") }
    }

    /// The index in `rows` of the row read at `line`.
    public func index(ofLine line: Int) -> Int? {
        rows.firstIndex { $0.line == line }
    }

    /// The cell of `rows[row]` in `column`, "" when the column is absent.
    public func value(_ row: Int, _ column: String) -> String {
        guard let position = self.column(column), position < rows[row].cells.count else { return "" }
        return rows[row].cells[position].trimmingCharacters(in: .whitespaces)
    }

    /// Sets a cell, adding the column when the table lacks it.
    public mutating func set(_ row: Int, _ column: String, _ value: String) {
        addColumn(column)
        let position = self.column(column)!
        while rows[row].cells.count <= position { rows[row].cells.append("") }
        rows[row].cells[position] = value
    }

    /// Appends a row with these cells (by column name; other columns empty); returns its index.
    @discardableResult
    public mutating func append(_ values: [(String, String)]) -> Int {
        for (name, _) in values { addColumn(name) }
        var cells = Array(repeating: "", count: header.count)
        for (name, value) in values { cells[column(name)!] = value }
        rows.append(Row(line: 0, cells: cells, starts: []))
        return rows.count - 1
    }

    /// Removes the rows read at these lines.
    public mutating func remove(lines: Set<Int>) {
        rows.removeAll { lines.contains($0.line) }
    }

    /// The cell a diagnostic points at: the line of a row of this table and the column's name (nil for a
    /// diagnostic about the whole row), or nil when it is about another file or no row.
    public func cell(at location: SourceLocation?) -> (line: Int, column: String?)? {
        guard let location, location.path == displayPath, let line = location.line, let index = index(ofLine: line) else { return nil }
        guard let column = location.column else { return (line, nil) }
        let starts = rows[index].starts
        let position = starts.lastIndex { $0 <= column }
        return (line, position.flatMap { $0 < header.count ? header[$0] : nil })
    }

    /// Where to save: the file itself for CSV, a CSV file beside a workbook (`production.xlsx` → `production.csv`).
    public var csvFileName: String {
        guard isWorkbook, let dot = file.lastIndex(of: ".") else { return file }
        return file[..<dot] + ".csv"
    }

    /// The table as CSV text, in the delimiter read; fields quoted when they hold it, a quote or a line break.
    public var csvText: String {
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = header.map(field).joined(separator: String(delimiter)) + "\n"
        for row in rows {
            out += row.cells.map(field).joined(separator: String(delimiter)) + "\n"
        }
        return out
    }

    /// The CSV bytes in the encoding read (BOM kept); an error when a character has no Windows-1252 byte.
    public func csvBytes() throws(BilanError) -> [UInt8] {
        let text = csvText
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .utf8BOM: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .windows1252:
            guard let bytes = CSVDocument.windows1252Bytes(text) else {
                throw BilanError(.input, at: SourceLocation(path: csvFileName),
                                 "un caractère saisi n'existe pas dans l'encodage Windows-1252 de ce fichier",
                                 hint: "retirez ce caractère, ou déclarez encodage: utf-8 dans plh.yaml après avoir converti le fichier")
            }
            return bytes
        }
    }

    /// Writes the table as CSV into the project `folder` (`csvFileName`).
    public func write(into folder: URL) throws(BilanError) {
        let bytes = try csvBytes()
        let url = folder.appendingPathComponent(csvFileName)
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw BilanError(.output, at: SourceLocation(path: csvFileName), systemErrorText(error, path: csvFileName))
        }
    }
}
