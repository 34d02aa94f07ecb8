import PLHModel

/// Office Open XML workbooks (`.xlsx`): `xl/workbook.xml` lists the sheets, its relationships name their parts,
/// `xl/sharedStrings.xml` holds the text cells refer to by number, each `xl/worksheets/sheetN.xml` the cells
/// (`<c r="B3" t="s|str|inlineStr|n|b|e|d"><v>…</v></c>`).
enum XLSXReader {
    static func read(_ archive: inout WorkbookArchive, sheet wanted: WantedSheet?) throws(BilanError) -> SpreadsheetDocument {
        let path = archive.path
        let workbookPart = try mainPart(&archive) ?? "xl/workbook.xml"
        guard let workbook = try archive.read(workbookPart) else {
            throw BilanError(.input, at: SourceLocation(path: path), "classeur .xlsx incomplet : la partie « \(workbookPart) » manque",
                             hint: SpreadsheetFormat.xlsx.saveHint)
        }
        // The sheets in order, with the relationship that names each one's part.
        var sheets: [(name: String, hidden: Bool, id: String)] = []
        try XMLScanner(bytes: workbook, part: workbookPart, path: path).scan { event throws(BilanError) in
            if case .start(let tag) = event, tag.name == "sheet", let name = tag["name"] {
                let state = tag["state"] ?? "visible"
                sheets.append((name, state == "hidden" || state == "veryHidden", tag["id"] ?? ""))
            }
        }
        let relations = try relationships(&archive, of: workbookPart)
        let index = try SpreadsheetDocument.choose(wanted, among: sheets.map { ($0.name, $0.hidden) }, path: path)
        let chosen = sheets[index]
        guard let target = relations.first(where: { $0.id == chosen.id })?.target, let sheetBytes = try archive.read(target) else {
            throw BilanError(.input, at: SourceLocation(path: path), "classeur .xlsx incomplet : la feuille « \(chosen.name) » n'a pas de contenu",
                             hint: SpreadsheetFormat.xlsx.saveHint)
        }
        var strings: [String] = []
        if let sharedPart = relations.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target,
           let shared = try archive.read(sharedPart) {
            strings = try sharedStrings(shared, part: sharedPart, path: path)
        }
        let display = SpreadsheetDocument.displayPath(path, sheet: chosen.name)
        let records = try cells(sheetBytes, part: target, path: path, display: display, strings: strings, limits: archive.limits)
        return SpreadsheetDocument(path: display, sheet: chosen.name, sheets: sheets.map(\.name), records: records)
    }

    /// The workbook part that `_rels/.rels` names, nil when it names none.
    private static func mainPart(_ archive: inout WorkbookArchive) throws(BilanError) -> String? {
        guard archive.has("_rels/.rels") else { return nil }
        return try relationships(&archive, of: "").first { $0.type.hasSuffix("/officeDocument") }?.target
    }

    /// The relationships of `part` (from `dir/_rels/name.rels`), targets resolved to part names.
    private static func relationships(_ archive: inout WorkbookArchive, of part: String) throws(BilanError) -> [(id: String, type: String, target: String)] {
        let slash = part.lastIndex(of: "/")
        let folder = slash.map { String(part[...$0]) } ?? ""
        let name = slash.map { String(part[part.index(after: $0)...]) } ?? part
        let relsPart = "\(folder)_rels/\(name).rels"
        guard let bytes = try archive.read(relsPart) else { return [] }
        var found: [(id: String, type: String, target: String)] = []
        try XMLScanner(bytes: bytes, part: relsPart, path: archive.path).scan { event throws(BilanError) in
            guard case .start(let tag) = event, tag.name == "Relationship", let id = tag["Id"], let target = tag["Target"],
                  tag["TargetMode"] != "External" else { return }
            found.append((id, tag["Type"] ?? "", resolve(target, from: folder)))
        }
        return found
    }

    /// `worksheets/sheet1.xml` from `xl/` → `xl/worksheets/sheet1.xml`; `/xl/…` is from the root.
    static func resolve(_ target: String, from folder: String) -> String {
        let full = target.hasPrefix("/") ? String(target.dropFirst()) : folder + target
        var parts: [Substring] = []
        for component in full.split(separator: "/") {
            if component == ".." { _ = parts.popLast() } else if component != "." { parts.append(component) }
        }
        return parts.joined(separator: "/")
    }

    /// The shared strings, in order: each `<si>` is the text of its `<t>` runs, phonetic runs (`<rPh>`) left out.
    private static func sharedStrings(_ bytes: [UInt8], part: String, path: String) throws(BilanError) -> [String] {
        var strings: [String] = []
        var current = "", inItem = false, inText = false, phonetic = 0
        let scanner = XMLScanner(bytes: bytes, part: part, path: path)
        try scanner.scan { event throws(BilanError) in
            switch event {
            case .start(let tag):
                switch tag.name {
                case "si": inItem = true; current = ""
                case "t": inText = inItem && phonetic == 0
                case "rPh": phonetic += 1
                default: break
                }
            case .end(let name):
                switch name {
                case "si": strings.append(current); inItem = false
                case "t": inText = false
                case "rPh": phonetic -= 1
                default: break
                }
            case .text(let raw) where inText: current += try scanner.decode(raw)
            case .cdata(let raw) where inText: current += String(decoding: raw, as: UTF8.self)
            default: break
            }
        }
        return strings
    }

    /// The filled cells of a sheet as records.
    private static func cells(_ bytes: [UInt8], part: String, path: String, display: String, strings: [String],
                              limits: SpreadsheetLimits) throws(BilanError) -> [CSVRecord] {
        var builder = SheetBuilder(path: display, limits: limits)
        var inData = false
        var row = 0, lastRow = 0, column = 0, nextColumn = 1
        var type = "n", value = "", inline = ""
        var inCell = false, inValue = false, inInline = false, inText = false, phonetic = 0
        let scanner = XMLScanner(bytes: bytes, part: part, path: path)
        try scanner.scan { event throws(BilanError) in
            switch event {
            case .start(let tag):
                switch tag.name {
                case "sheetData": inData = true
                case "row" where inData:
                    // Clamped: a hostile row number must not overflow the next one.
                    row = min(max(tag["r"].flatMap { Int($0) } ?? lastRow + 1, 0), SheetBuilder.maxRow + 1)
                    nextColumn = 1
                case "c" where inData:
                    inCell = true
                    type = tag["t"] ?? "n"
                    value = ""; inline = ""
                    column = nextColumn
                    if let reference = tag["r"] {
                        guard let parsed = Self.reference(reference) else {
                            throw BilanError(.input, at: SourceLocation(path: display, line: row),
                                             "référence de cellule « \(reference) » illisible dans la partie « \(part) »",
                                             hint: SpreadsheetFormat.xlsx.saveHint)
                        }
                        column = parsed.column
                    }
                case "v" where inCell: inValue = true
                case "is" where inCell: inInline = true
                case "t" where inInline: inText = phonetic == 0
                case "rPh": phonetic += 1
                default: break
                }
            case .end(let name):
                switch name {
                case "sheetData": inData = false
                case "row" where inData:
                    try builder.endRow(row)
                    lastRow = row
                case "c" where inCell:
                    inCell = false
                    let text = try Self.text(type: type, value: value, inline: inline, strings: strings,
                                             at: SourceLocation(path: display, line: row, column: column))
                    try builder.cell(row: row, column: column, text)
                    nextColumn = column + 1
                case "v": inValue = false
                case "is": inInline = false
                case "t": inText = false
                case "rPh": phonetic -= 1
                default: break
                }
            case .text(let raw):
                if inValue { value += try scanner.decode(raw) } else if inText { inline += try scanner.decode(raw) }
            case .cdata(let raw):
                if inValue { value += String(decoding: raw, as: UTF8.self) } else if inText { inline += String(decoding: raw, as: UTF8.self) }
            }
        }
        return builder.finish()
    }

    /// The text of a cell by its type.
    private static func text(type: String, value: String, inline: String, strings: [String],
                             at location: SourceLocation) throws(BilanError) -> String {
        switch type {
        case "s":
            guard !value.isEmpty else { return "" }
            guard let index = Int(trimmed(value)), strings.indices.contains(index) else {
                throw BilanError(.input, at: location, "cellule illisible : elle renvoie au texte partagé n° \(value), absent du classeur",
                                 hint: SpreadsheetFormat.xlsx.saveHint)
            }
            return strings[index]
        case "inlineStr": return inline.isEmpty ? value : inline
        case "b": return value == "1" ? "VRAI" : value == "0" ? "FAUX" : value
        case "n": return SpreadsheetDocument.numberText(value)
        default: return value  // str (a formula's text), e (#DIV/0!), d (an ISO date)
        }
    }

    /// `B3` → column 2 (row 3 is the row's); `$B$3` too.
    static func reference(_ text: String) -> (column: Int, row: Int?)? {
        var column = 0, row = 0, digits = 0
        for byte in text.utf8 where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - 64)
                if column > SheetBuilder.maxColumn { return nil }
            case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
                column = column * 26 + Int(byte - 96)
                if column > SheetBuilder.maxColumn { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                row = row * 10 + Int(byte - 48)
                digits += 1
                if digits > 9 { return nil }
            default: return nil
            }
        }
        guard column > 0 else { return nil }
        return (column, digits > 0 ? row : nil)
    }
}
