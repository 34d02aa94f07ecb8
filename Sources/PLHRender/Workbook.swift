import PLHBase
import PLHModel

/// A spreadsheet workbook (`.xlsx`, SpreadsheetML) written straight into bytes, reproducibly: the
/// syntax only, knowing nothing of communes (the annexes' meaning is in `Annexes.workbook`).
///
/// What a person opens in a spreadsheet: text cells stay text (an INSEE code keeps its leading zero),
/// numbers are numbers with a display format, the header row is bold, frozen and filtered. Strings are
/// stored once (`Strings`), sheets written in one pass; there is no docProps part, hence no date but the
/// ZIP entries' own, which the caller fixes.
struct Workbook {
    /// A cell's look: its index in `xl/styles.xml`'s `cellXfs`.
    enum Style: Int {
        case plain = 0
        /// Bold, wrapped: a table's header row.
        case header = 1
        /// Text format (`@`): codes typed over in the spreadsheet stay text too.
        case code = 2
        /// `#,##0`: whole numbers, grouped by thousands in the reader's locale.
        case integer = 3
        /// `#,##0.0`: one decimal.
        case decimal = 4
        /// `0.0%`: a fraction shown as a percentage (0.333 → 33,3 % in French).
        case percent = 5
        /// Bold, not wrapped: a label.
        case bold = 6
        /// Wrapped text: a note.
        case wrapped = 7
    }

    /// The workbook's strings, each stored once in `xl/sharedStrings.xml`, cells referring to them by number:
    /// a commune's name on each of its production rows costs a few bytes, to write and to deflate.
    final class Strings {
        private var numbers: [String: Text] = [:]
        fileprivate private(set) var xml: [UInt8] = []
        fileprivate private(set) var unique = 0
        /// Cells that refer to a string.
        fileprivate var references = 0

        init() {
            xml.reserveCapacity(1 << 14)
        }

        /// The string's number, adding it when new; an empty text (once escaped) is an empty cell.
        func text(_ value: String) -> Text {
            if let known = numbers[value] { return known }
            let escaped = XMLBytes.escaped(value)
            var text = Text(digits: [])
            if !escaped.isEmpty {
                let space: (UInt8?) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }
                xml += (space(escaped.first) || space(escaped.last) ? #"<si><t xml:space="preserve">"# : "<si><t>").utf8
                xml += escaped
                xml += "</t></si>".utf8
                var digits: [UInt8] = []
                French.appendDigits(of: unique, to: &digits)
                text = Text(digits: digits)
                unique += 1
            }
            numbers[value] = text
            return text
        }
    }

    /// A string of the workbook's table (`Strings.text`), for cells repeated on many rows.
    struct Text {
        /// Its number in the table, in digits; none for the empty text.
        fileprivate let digits: [UInt8]
    }

    /// One column of a sheet: its header (when the sheet has a header row) and its width in characters.
    struct Column {
        var header: String
        var width: Int
    }

    /// One worksheet, written row by row, cell by cell, from left to right.
    struct Sheet {
        /// At most 31 characters, none of `[]:*?/\` (the spreadsheet's rules for sheet names).
        let name: String
        let columns: [Column]
        /// Whether the first row is the columns' headers, frozen and with a filter.
        let hasHeader: Bool
        private var data: [UInt8] = []
        /// Rows written, header included; the current row's number is `rows + 1`.
        private(set) var rows = 0
        private var column = 0
        private var inRow = false
        /// The current row's number, in digits, and each column's letters: every cell's reference repeats them.
        private var rowDigits: [UInt8] = []
        private let columnNames: [[UInt8]]
        private let strings: Strings

        init(name: String, columns: [Column], header: Bool = true, strings: Strings) {
            precondition(name.count <= 31 && !name.contains { "[]:*?/\\".contains($0) }, "sheet name « \(name) »")
            self.name = name
            self.columns = columns
            self.strings = strings
            hasHeader = header
            columnNames = columns.indices.map { index in
                var letters: [UInt8] = []
                Workbook.appendColumnName(index, to: &letters)
                return letters
            }
            data.reserveCapacity(1 << 16)
            if header {
                for column in columns { text(column.header, style: .header) }
                endRow()
            }
        }

        /// The markup cells are made of, as bytes: a national batch writes millions of cells, and arrays are
        /// appended at once where strings' UTF-8 views are appended byte by byte.
        private enum Markup {
            static let row = Array(#"<row r=""#.utf8)
            /// The header row is two lines high: long headers wrap rather than widen their column.
            static let headerRowEnd = Array(#"" ht="32" customHeight="1">"#.utf8)
            static let rowEnd = Array(#"">"#.utf8)
            static let cell = Array(#"<c r=""#.utf8)
            /// `" s="3"` for each style (only the quote for `.plain`).
            static let styles: [[UInt8]] = (0...7).map { $0 == 0 ? [0x22] : Array(#"" s="\#($0)""#.utf8) }
            static let string = Array(#" t="s"><v>"#.utf8)
            static let value = Array("><v>".utf8)
            static let valueEnd = Array("</v></c>".utf8)
            static let endRow = Array("</row>".utf8)
        }

        /// Opens `<c r="B12" s="…"` for the next cell, starting the row if needed.
        private mutating func open(style: Style) {
            if !inRow {
                rowDigits.removeAll(keepingCapacity: true)
                French.appendDigits(of: rows + 1, to: &rowDigits)
                data += Markup.row
                data += rowDigits
                data += hasHeader && rows == 0 ? Markup.headerRowEnd : Markup.rowEnd
                inRow = true
            }
            data += Markup.cell
            if column < columnNames.count {
                data += columnNames[column]
            } else {
                Workbook.appendColumnName(column, to: &data)
            }
            data += rowDigits
            data += Markup.styles[style.rawValue]
            column += 1
        }

        mutating func text(_ value: String, style: Style = .plain) {
            text(strings.text(value), style: style)
        }

        /// A text cell; an empty text is an empty cell.
        mutating func text(_ value: Text, style: Style = .plain) {
            guard !value.digits.isEmpty else { return skip() }
            open(style: style)
            data += Markup.string
            data += value.digits
            data += Markup.valueEnd
            strings.references += 1
        }

        mutating func integer(_ value: Int, style: Style = .integer) {
            open(style: style)
            data += Markup.value
            French.appendDigits(of: value, to: &data)
            data += Markup.valueEnd
        }

        /// A number cell, or an empty cell for nil (no objective is not a zero objective).
        mutating func number(_ value: Double?, style: Style) {
            guard let value, value.isFinite else { return skip() }
            open(style: style)
            data += Markup.value
            // Swift's shortest round-trip form (`0.3333333333333333`, `480.0`, `1e-05`) is a valid xsd:double; whole
            // values keep their `.0`, so that a column reads as decimals throughout (openpyxl, pandas).
            var digits = value.description
            digits.withUTF8 { data.append(contentsOf: $0) }
            data += Markup.valueEnd
        }

        /// An empty cell: nothing is written, the next cell's reference says where it is.
        mutating func skip() {
            column += 1
        }

        mutating func endRow() {
            // An empty row is left out; the next row's number still counts it.
            if inRow { data += Markup.endRow }
            rows += 1
            column = 0
            inRow = false
        }

        /// `A1:F120` (`$A$1:$F$120` when `absolute`): the header and data rows, for the dimension and the filter.
        fileprivate func range(absolute: Bool = false) -> [UInt8] {
            let dollar: [UInt8] = absolute ? [0x24] : []
            var out = dollar + [0x41] + dollar + [0x31, 0x3A] + dollar
            Workbook.appendColumnName(max(0, columns.count - 1), to: &out)
            out += dollar
            French.appendDigits(of: max(1, rows), to: &out)
            return out
        }

        /// `xl/worksheets/sheetN.xml`.
        fileprivate func xml() -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(data.count + 1024)
            out += XMLBytes.declaration
            out += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.utf8
            out += #"<dimension ref=""#.utf8
            out += range()
            out += #""/>"#.utf8
            out += #"<sheetViews><sheetView workbookViewId="0">"#.utf8
            if hasHeader {
                out += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#.utf8
                out += #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#.utf8
            }
            out += "</sheetView></sheetViews>".utf8
            out += #"<sheetFormatPr defaultRowHeight="15"/>"#.utf8
            if !columns.isEmpty {
                out += "<cols>".utf8
                for (index, column) in columns.enumerated() {
                    out += #"<col min=""#.utf8
                    French.appendDigits(of: index + 1, to: &out)
                    out += #"" max=""#.utf8
                    French.appendDigits(of: index + 1, to: &out)
                    out += #"" width=""#.utf8
                    French.appendDigits(of: column.width, to: &out)
                    out += #"" customWidth="1"/>"#.utf8
                }
                out += "</cols>".utf8
            }
            out += "<sheetData>".utf8
            out += data
            out += "</sheetData>".utf8
            if hasHeader {
                out += #"<autoFilter ref=""#.utf8
                out += range()
                out += #""/>"#.utf8
            }
            out += "</worksheet>".utf8
            return out
        }
    }

    let strings = Strings()
    var sheets: [Sheet] = []

    /// A new sheet whose strings go to this workbook's table; add it to `sheets` once written.
    func sheet(name: String, columns: [Column], header: Bool = true) -> Sheet {
        Sheet(name: name, columns: columns, header: header, strings: strings)
    }

    /// The `.xlsx` file: a ZIP whose entries are all dated `date` at noon, in a fixed order.
    func bytes(date: CalendarDate) throws(ZipWriter.Failure) -> [UInt8] {
        // The sheets' XML is very repetitive: libdeflate's fastest level already shrinks it tenfold.
        var zip = ZipWriter(year: date.year, month: date.month, day: date.day, hour: 12, minute: 0, second: 0, level: 1)
        try zip.add(path: "[Content_Types].xml", contents: contentTypes())
        try zip.add(path: "_rels/.rels", contents: XMLBytes.declaration + Array(
            (#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                + "</Relationships>").utf8))
        try zip.add(path: "xl/workbook.xml", contents: workbookXML())
        try zip.add(path: "xl/_rels/workbook.xml.rels", contents: workbookRelationships())
        try zip.add(path: "xl/styles.xml", contents: Self.styles)
        try zip.add(path: "xl/sharedStrings.xml", contents: sharedStrings())
        for (index, sheet) in sheets.enumerated() {
            try zip.add(path: "xl/worksheets/sheet\(index + 1).xml", contents: sheet.xml())
        }
        return try zip.finish()
    }

    private func sharedStrings() -> [UInt8] {
        var out = XMLBytes.declaration
        out += #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(strings.references)" uniqueCount="\#(strings.unique)">"#.utf8
        out += strings.xml
        out += "</sst>".utf8
        return out
    }

    private func contentTypes() -> [UInt8] {
        var out = XMLBytes.declaration
        out += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#.utf8
        out += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#.utf8
        out += #"<Default Extension="xml" ContentType="application/xml"/>"#.utf8
        out += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#.utf8
        out += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#.utf8
        out += #"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#.utf8
        for index in sheets.indices {
            out += #"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#.utf8
        }
        out += "</Types>".utf8
        return out
    }

    private func workbookXML() -> [UInt8] {
        var out = XMLBytes.declaration
        out += #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#.utf8
        out += #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#.utf8
        for (index, sheet) in sheets.enumerated() {
            out += #"<sheet name=""#.utf8
            out += XMLBytes.escaped(sheet.name)
            out += #"" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#.utf8
        }
        out += "</sheets>".utf8
        // The filters' ranges, as spreadsheets record them (hidden names, one per filtered sheet).
        let filtered = sheets.enumerated().filter { $0.element.hasHeader }
        if !filtered.isEmpty {
            out += "<definedNames>".utf8
            for (index, sheet) in filtered {
                out += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#.utf8
                // 'Sheet name'!$A$1:$F$120, the name's quotes doubled.
                out += XMLBytes.escaped("'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'!")
                out += sheet.range(absolute: true)
                out += "</definedName>".utf8
            }
            out += "</definedNames>".utf8
        }
        out += "</workbook>".utf8
        return out
    }

    private func workbookRelationships() -> [UInt8] {
        var out = XMLBytes.declaration
        out += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#.utf8
        for index in sheets.indices {
            out += #"<Relationship Id="rId\#(index + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#.utf8
        }
        out += #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#.utf8
        out += #"<Relationship Id="rId\#(sheets.count + 2)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#.utf8
        out += "</Relationships>".utf8
        return out
    }

    /// `xl/styles.xml`: the cell formats of `Style`, in its order.
    static let styles: [UInt8] = XMLBytes.declaration + Array((
        #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + ##"<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.0"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>"##
            + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
            + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
            + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="8">"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
            + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
            + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
            + "</cellXfs>"
            + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
            + "</styleSheet>").utf8)

    /// `A`…`Z`, `AA`…: the letters of the column at `index` (from 0).
    static func appendColumnName(_ index: Int, to out: inout [UInt8]) {
        if index >= 26 { appendColumnName(index / 26 - 1, to: &out) }
        out.append(0x41 + UInt8(index % 26))
    }
}

/// XML 1.0 text as bytes: escaped, without the characters XML forbids.
enum XMLBytes {
    static let declaration = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [0x0A]

    /// `&`, `<`, `>` and `"` escaped; control characters removed (those XML 1.0 forbids, and DEL and C1
    /// like every output), and U+FFFE, U+FFFF, which XML forbids too.
    static func escaped(_ value: String) -> [UInt8] {
        var text = value
        let clean: Bool = text.withUTF8 { bytes in
            var previous: (UInt8, UInt8) = (0, 0)
            for byte in bytes {
                switch byte {
                case 0x26, 0x3C, 0x3E, 0x22, 0x00..<0x20, 0x7F: return false
                case 0x80...0x9F where previous.1 == 0xC2: return false
                case 0xBE where previous == (0xEF, 0xBF), 0xBF where previous == (0xEF, 0xBF): return false
                default: previous = (previous.1, byte)
                }
            }
            return true
        }
        if clean { return Array(value.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.withoutControlCharacters.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;".utf8
            case "<": out += "&lt;".utf8
            case ">": out += "&gt;".utf8
            case "\"": out += "&quot;".utf8
            case "\u{FFFE}", "\u{FFFF}": break
            // Tab and line feed are kept (allowed); carriage returns were removed with the controls.
            default: UTF8.encode(scalar) { out.append($0) }
            }
        }
        return out
    }
}
