import PLHModel

/// OpenDocument spreadsheets (`.ods`): `content.xml` holds every sheet (`table:table`), its rows
/// (`table:table-row`, `table:number-rows-repeated`) and cells (`table:table-cell` or `table:covered-table-cell`,
/// `table:number-columns-repeated`), each with its type (`office:value-type`) and value (`office:value`), or its
/// text in `text:p` paragraphs. Repeated empty rows (LibreOffice writes a million of them) cost nothing.
enum ODSReader {
    static func read(_ archive: inout WorkbookArchive, sheet wanted: WantedSheet?) throws(BilanError) -> SpreadsheetDocument {
        let path = archive.path
        guard let content = try archive.read("content.xml") else {
            throw BilanError(.input, at: SourceLocation(path: path), "classeur .ods incomplet : la partie « content.xml » manque",
                             hint: SpreadsheetFormat.ods.saveHint)
        }
        var names: [String] = []
        var chosen: String?
        var builder: SheetBuilder?
        var records: [CSVRecord] = []
        // Nesting of tables: 1 inside a sheet, more inside a table drawn in a cell.
        var depth = 0, selected = false
        var row = 1, rowRepeat = 1, column = 1, columnRepeat = 1
        var inCell = false, value: String?, text = "", paragraphs = 0, inParagraph = 0, annotation = 0
        let scanner = XMLScanner(bytes: content, part: "content.xml", path: path)
        try scanner.scan { event throws(BilanError) in
            switch event {
            case .start(let tag):
                switch tag.name {
                case "table":
                    depth += 1
                    guard depth == 1 else { return }
                    let name = tag["name"] ?? "Feuille\(names.count + 1)"
                    names.append(name)
                    if chosen == nil, wanted?.matches(name) ?? true {
                        chosen = name
                        selected = true
                        row = 1
                        builder = SheetBuilder(path: SpreadsheetDocument.displayPath(path, sheet: name), limits: archive.limits)
                    }
                case "table-row" where selected && depth == 1:
                    rowRepeat = repeatCount(tag["number-rows-repeated"])
                    column = 1
                case "table-cell" where selected && depth == 1, "covered-table-cell" where selected && depth == 1:
                    inCell = true
                    columnRepeat = repeatCount(tag["number-columns-repeated"])
                    text = ""; paragraphs = 0
                    value = Self.value(tag)
                case "annotation" where inCell: annotation += 1
                case "p" where inCell && annotation == 0:
                    if paragraphs > 0 { text += "\n" }
                    paragraphs += 1
                    inParagraph += 1
                case "s" where inParagraph > 0 && annotation == 0:
                    text += String(repeating: " ", count: min(repeatCount(tag["c"]), 1000))
                case "tab" where inParagraph > 0 && annotation == 0: text += "\t"
                case "line-break" where inParagraph > 0 && annotation == 0: text += "\n"
                default: break
                }
            case .end(let name):
                switch name {
                case "table":
                    depth -= 1
                    if depth == 0 && selected {
                        selected = false
                        records = builder!.finish()
                    }
                case "table-row" where selected && depth == 1:
                    try builder!.endRow(row, repeated: rowRepeat)
                    row = min(row + rowRepeat, SheetBuilder.maxRow + 1)
                case "table-cell" where selected && depth == 1, "covered-table-cell" where selected && depth == 1:
                    inCell = false
                    let cellText = value ?? text
                    if !isBlank(cellText) {
                        for copy in 0..<min(columnRepeat, SheetBuilder.maxColumn + 1) {
                            try builder!.cell(row: row, column: column + copy, cellText)
                        }
                    }
                    column = min(column + columnRepeat, SheetBuilder.maxColumn + 1)
                case "annotation" where inCell: annotation -= 1
                case "p" where inParagraph > 0 && annotation == 0: inParagraph -= 1
                default: break
                }
            case .text(let raw) where inParagraph > 0 && annotation == 0:
                text += try scanner.decode(raw)
            case .cdata(let raw) where inParagraph > 0 && annotation == 0:
                text += String(decoding: raw, as: UTF8.self)
            default: break
            }
        }
        guard let chosen else {
            // Not found: the same error as for a workbook, with the sheets listed.
            let index = try SpreadsheetDocument.choose(wanted, among: names.map { ($0, false) }, path: path)
            throw BilanError(.internal, at: SourceLocation(path: path), "feuille « \(names[index]) » trouvée puis perdue")
        }
        return SpreadsheetDocument(path: SpreadsheetDocument.displayPath(path, sheet: chosen), sheet: chosen, sheets: names,
                                   records: records)
    }

    /// A cell's value from its attributes; nil for text, which is in its paragraphs.
    private static func value(_ tag: XMLScanner.Tag) -> String? {
        switch tag["value-type"] {
        case "float", "percentage", "currency": tag["value"].map(SpreadsheetDocument.numberText)
        case "date": tag["date-value"]
        case "time": tag["time-value"]
        case "boolean": tag["boolean-value"].map { $0 == "true" ? "VRAI" : $0 == "false" ? "FAUX" : $0 }
        case "string": tag["string-value"]
        default: nil
        }
    }

    /// `number-rows-repeated` and the like: at least 1, and bounded so that sums cannot overflow.
    private static func repeatCount(_ text: String?) -> Int {
        guard let text, let n = Int(text), n >= 1 else { return 1 }
        return min(n, SheetBuilder.maxRow)
    }
}
