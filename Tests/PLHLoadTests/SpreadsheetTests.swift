import Foundation
import PLHModel
import PLHTestSupport
import Testing
import ZIPFoundation
@testable import PLHLoad

/// Workbooks built in memory, for the cases LibreOffice does not write on request.
enum Workbook {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Spreadsheets")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// A ZIP archive of `parts`, deflated.
    static func zip(_ parts: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, bytes) in parts {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return Array(archive.data!)
    }

    /// An `.xlsx` with these sheets (name, the XML inside `<sheetData>`) and shared strings.
    static func xlsx(_ sheets: [(name: String, rows: String)], strings: [String] = [], hidden: Set<String> = []) throws -> [UInt8] {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        let rel = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8)),
            ("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """.utf8)),
        ]
        let list = sheets.enumerated().map { i, sheet in
            "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\"\(hidden.contains(sheet.name) ? " state=\"hidden\"" : "") r:id=\"rId\(i + 1)\"/>"
        }.joined()
        parts.append(("xl/workbook.xml", Array("<?xml version=\"1.0\"?><workbook \(ns) \(rel)><sheets>\(list)</sheets></workbook>".utf8)))
        var relations = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        relations += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>"
        parts.append(("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relations)</Relationships>".utf8)))
        let items = strings.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t>\($0)</t></si>" }.joined()
        parts.append(("xl/sharedStrings.xml", Array("<sst \(ns) count=\"\(strings.count)\">\(items)</sst>".utf8)))
        for (i, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(i + 1).xml", Array("<?xml version=\"1.0\"?>\n<worksheet \(ns) \(rel)><sheetData>\(sheet.rows)</sheetData></worksheet>".utf8)))
        }
        return try zip(parts)
    }

    /// An `.ods` whose `office:spreadsheet` holds `tables` (name, the XML inside `<table:table>`).
    static func ods(_ tables: [(name: String, rows: String)]) throws -> [UInt8] {
        let body = tables.map { "<table:table table:name=\"\($0.name)\">\($0.rows)</table:table>" }.joined()
        let content = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">\
        <office:body><office:spreadsheet>\(body)</office:spreadsheet></office:body></office:document-content>
        """
        return try zip([("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", Array(content.utf8))])
    }

    /// An ODS text cell, a float cell, and the row around cells.
    static func text(_ s: String) -> String {
        "<table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>\(s)</text:p></table:table-cell>"
    }

    static func float(_ v: String) -> String {
        "<table:table-cell office:value-type=\"float\" office:value=\"\(v)\"><text:p>\(v.replacingOccurrences(of: ".", with: ","))</text:p></table:table-cell>"
    }

    static func row(_ cells: String...) -> String { "<table:table-row>\(cells.joined())</table:table-row>" }

    /// An xlsx inline-string cell and a number cell.
    static func inline(_ ref: String, _ s: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(s)</t></is></c>" }
    static func number(_ ref: String, _ v: String) -> String { "<c r=\"\(ref)\"><v>\(v)</v></c>" }

    /// The rows of a `;` CSV text as `<sheetData>` XML: numbers as numbers (`01001` too, as a spreadsheet would
    /// store it unless the column is text), other cells as inline strings.
    static func sheetXML(csv: String) -> String {
        csv.split(separator: "\n").enumerated().map { r, line in
            "<row r=\"\(r + 1)\">" + line.split(separator: ";", omittingEmptySubsequences: false).enumerated().filter { !$1.isEmpty }.map { c, cell in
                let ref = "\(SpreadsheetDocument.columnName(c + 1))\(r + 1)"
                return Int(cell) != nil ? number(ref, String(Int(cell)!)) : inline(ref, String(cell).replacingOccurrences(of: "'", with: "&apos;"))
            }.joined() + "</row>"
        }.joined()
    }

    /// The same as `<table:table-row>` XML.
    static func odsRows(csv: String) -> String {
        csv.split(separator: "\n").map { line in
            "<table:table-row>" + line.split(separator: ";", omittingEmptySubsequences: false).map { cell in
                cell.isEmpty ? "<table:table-cell/>" : Int(cell) != nil ? float(String(cell)) : text(String(cell).replacingOccurrences(of: "'", with: "&apos;"))
            }.joined() + "</table:table-row>"
        }.joined()
    }

    /// The mini project's objectives as an xlsx sheet named « Objectifs », with `logements` of the third data row replaced.
    static func objectives(thirdDwellings: String = "12", extra: String = "") throws -> [UInt8] {
        let header = ["categorie", "code_insee", "segment", "logements", "periode"].enumerated()
            .map { inline("\(SpreadsheetDocument.columnName($0 + 1))1", $1) }.joined()
        let rows = [
            ["centre", "", "social", "60", "an"], ["centre", "", "accession", "120", "plan"], ["", "01001", "social", thirdDwellings, "plan"],
            ["", "97101", "social", "24", "plan"], ["", "97101", "accession", "6", "an"],
        ].enumerated().map { r, cells in
            "<row r=\"\(r + 2)\">" + cells.enumerated().filter { !$1.isEmpty }.map { c, value in
                let ref = "\(SpreadsheetDocument.columnName(c + 1))\(r + 2)"
                return Double(value) != nil && c != 1 ? number(ref, value) : inline(ref, value)
            }.joined() + (r == 0 ? extra : "") + "</row>"
        }.joined()
        return try xlsx([("Objectifs", "<row r=\"1\">\(header)</row>" + rows)])
    }
}

/// Issue 12 (uploads): `.xlsx` and `.ods` tables read into the records the CSV reader gives.
@Suite struct SpreadsheetTests {
    func fields(_ document: SpreadsheetDocument) -> [[String]] { document.records.map(\.fields) }

    /// Load errors of a project, locations relative to its folder.
    func errors(_ project: TestProject) -> [String] {
        let prefix = project.path + "/"
        return (loadErrors(project) ?? []).filter { $0.severity == .error }.map { d in
            d.description.hasPrefix(prefix) ? String(d.description.dropFirst(prefix.count)) : d.description
        }
    }

    // MARK: Files written by LibreOffice

    @Test(arguments: [("nombres.xlsx", SpreadsheetFormat.xlsx), ("nombres.ods", .ods)])
    func libreOfficeWorkbooksReadAsTheirCSV(_ file: String, _ format: SpreadsheetFormat) throws {
        let document = try SpreadsheetDocument(bytes: Workbook.fixture(file), path: file, format: format)
        #expect(document.sheet == "nombres")
        #expect(document.path == "\(file) (feuille « nombres »)")
        #expect(fields(document) == [
            ["texte", "entier", "decimal", "petit", "vide", "fin"],
            ["01001", "12", "12.5", "0.1", "", "x"],
            ["", "1001", "", "0.3"],
        ])
        #expect(document.records.map(\.line) == [1, 2, 3])
        #expect(document.records[1].columns == [1, 2, 3, 4, 5, 6])
    }

    /// The mini project with its objectives in `.xlsx` (LibreOffice turned `01001` into the number 1001), its
    /// communes in `.ods` (code_insee as text) and its production in `.xlsx` is the same project as with CSV.
    @Test func miniProjectFromWorkbooksIsTheSameProject() throws {
        let csv = try TestProject.mini()
        defer { csv.remove() }
        let expected = try ProjectLoader(folder: ProjectFolder(csv.path)).load()

        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  communes: communes.ods\n  objectifs: Objectifs.XLSX\n  production: production.xlsx\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "communes.csv": nil, "objectifs.csv": nil, "production.csv": nil])
        defer { project.remove() }
        try project.write("communes.ods", bytes: Workbook.fixture("communes.ods"))
        try project.write("Objectifs.XLSX", bytes: Workbook.fixture("objectifs.xlsx"))
        try project.write("production.xlsx", bytes: Workbook.fixture("production.xlsx"))
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        #expect(loaded.project.communes == expected.project.communes)
        #expect(loaded.project.objectives == expected.project.objectives)
        #expect(loaded.project.production == expected.project.production)
        #expect(loaded.project.epci == expected.project.epci && loaded.project.plan == expected.project.plan)
        #expect(loaded.inputFiles == ["Objectifs.XLSX", "communes.ods", "global.md", "plh.yaml", "production.xlsx"])
        // The code that lost its zero is completed, with the usual warning, located in the sheet.
        let padded = try #require(loaded.warnings.first { $0.message.contains("complété") && $0.location?.path.contains("Objectifs") == true })
        #expect(padded.location?.description == project.path + "/Objectifs.XLSX (feuille « objectifs »):4:2")
    }

    /// One workbook for the three tables, a sheet each, named by `fichiers.feuilles`: the same project as with CSV.
    @Test func oneWorkbookWithASheetPerTable() throws {
        let csv = try TestProject.mini()
        defer { csv.remove() }
        let expected = try ProjectLoader(folder: ProjectFolder(csv.path)).load().project
        let files = TestProject.miniFiles
        let workbook = try Workbook.xlsx([
            ("Lisez-moi", "<row r=\"1\">\(Workbook.inline("A1", "Données du PLH"))</row>"),
            ("Communes", Workbook.sheetXML(csv: files["communes.csv"]!)), ("Objectifs", Workbook.sheetXML(csv: files["objectifs.csv"]!)),
            ("Production", Workbook.sheetXML(csv: files["production.csv"]!)),
        ])
        let plan = files["plh.yaml"]! + """
        fichiers:
          communes: plh.xlsx
          objectifs: plh.xlsx
          production: plh.xlsx
          feuilles: {communes: Communes, objectifs: Objectifs, production: Production}

        """
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "communes.csv": nil, "objectifs.csv": nil, "production.csv": nil])
        defer { project.remove() }
        try project.write("plh.xlsx", bytes: workbook)
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        #expect(loaded.project.communes == expected.communes)
        #expect(loaded.project.objectives == expected.objectives)
        #expect(loaded.project.production == expected.production)
        #expect(loaded.inputFiles == ["global.md", "plh.xlsx", "plh.yaml"])
    }

    /// Without `fichiers.feuilles`, the first sheet is read; when it is not the table, a warning names the others.
    @Test func firstSheetOfSeveralIsNotTheTable() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  communes: communes.xlsx\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "communes.csv": nil])
        defer { project.remove() }
        try project.write("communes.xlsx", bytes: Workbook.xlsx([
            ("Lisez-moi", "<row r=\"1\">\(Workbook.inline("A1", "Données"))</row>"),
            ("Communes", Workbook.sheetXML(csv: TestProject.miniFiles["communes.csv"]!)),
        ]))
        let prefix = project.path + "/"
        var diagnostics: [Diagnostic] = []
        do { _ = try ProjectLoader(folder: ProjectFolder(project.path)).load() } catch { diagnostics = error.diagnostics }
        let warning = try #require(diagnostics.first { $0.severity == .warning && $0.message.contains("feuilles") })
        #expect(warning.description.dropFirst(prefix.count) == "communes.xlsx (feuille « Lisez-moi »): avertissement : le classeur a 2 feuilles et seule la première est lue\n  → pour lire une autre feuille, nommez-la dans fichiers.feuilles de plh.yaml : « Lisez-moi », « Communes »")
    }

    /// An observatory's tables go through the same readers: plans in `.ods`, objectives and production in `.xlsx`
    /// (the production through the general path, a workbook not being the fast path's CSV).
    @Test func anObservatoryReadsWorkbooksToo() throws {
        let csv = try TinyObservatory()
        defer { csv.remove() }
        let expected = try csv.load()
        let files = TinyObservatory.files
        let observatory = try TinyObservatory(changing: [
            "observatoire.yaml": files["observatoire.yaml"]! + "fichiers:\n  plh: plh.ods\n  objectifs: objectifs.xlsx\n  production: production.xlsx\n",
        ])
        defer { observatory.remove() }
        for name in ["plh.csv", "objectifs.csv", "production.csv"] {
            try FileManager.default.removeItem(at: observatory.root.appendingPathComponent(name))
        }
        try Data(Workbook.ods([("PLH", Workbook.odsRows(csv: files["plh.csv"]!))])).write(to: observatory.root.appendingPathComponent("plh.ods"))
        try Data(Workbook.xlsx([("Objectifs", Workbook.sheetXML(csv: files["objectifs.csv"]!))]))
            .write(to: observatory.root.appendingPathComponent("objectifs.xlsx"))
        try Data(Workbook.xlsx([("Production", Workbook.sheetXML(csv: files["production.csv"]!))]))
            .write(to: observatory.root.appendingPathComponent("production.xlsx"))
        let loaded = try observatory.load()
        #expect(loaded.entries.count == expected.entries.count && !expected.entries.isEmpty)
        for (a, b) in zip(loaded.entries, expected.entries) {
            let (p, q) = (try a.project.get(), try b.project.get())
            #expect(p.plan == q.plan && p.objectives == q.objectives && p.production == q.production && p.communes == q.communes)
        }
    }

    // MARK: Cells

    @Test func xlsxSharedInlineNumbersAndBooleans() throws {
        let rows = """
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>\
        <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>12</v></c><c r="C2" t="n"><v>12.5</v></c></row>\
        <row r="3"><c r="A3" t="inlineStr"><is><r><t xml:space="preserve">L&apos;Ab</t></r><r><t>ergement</t></r></is></c>\
        <c r="B3"><v>0.10000000000000001</v></c><c r="C3"><v>1.25E-2</v></c><c r="E3" t="b"><v>1</v></c></row>\
        <row r="4"><c r="A4" t="str"><f>A2</f><v>01001</v></c><c r="B4"><f>B2*2</f><v>24</v></c><c r="C4" t="e"><v>#DIV/0!</v></c></row>\
        <row r="5"><c r="A5"/><c r="B5" t="s"/></row>\
        <row><c t="s"><v>4</v></c><c><v>-0</v></c><c><v>1E+16</v></c></row>
        """
        let bytes = try Workbook.xlsx([("Données", rows)],
                                      strings: ["code", "n", "x", "01001", "<r><t>Ar</t></r><r><t>ras</t></r><rPh><t>アラス</t></rPh>"])
        let document = try SpreadsheetDocument(bytes: bytes, path: "t.xlsx", format: .xlsx)
        #expect(document.path == "t.xlsx (feuille « Données »)")
        #expect(fields(document) == [
            ["code", "n", "x"],
            ["01001", "12", "12.5"],
            ["L'Abergement", "0.1", "0.0125", "", "VRAI"],
            ["01001", "24", "#DIV/0!"],
            ["Arras", "0", "10000000000000000"],
        ])
        #expect(document.records.map(\.line) == [1, 2, 3, 4, 6])
    }

    /// LibreOffice ends a sheet with `number-rows-repeated="1048000"` empty rows and `number-columns-repeated`
    /// empty cells: nothing is allocated for them. Repeated filled cells and rows are copies.
    @Test func odsRepeatedRowsAndColumns() throws {
        let rows = Workbook.row(Workbook.text("a"), Workbook.text("b"), Workbook.text("c"), "<table:table-cell table:number-columns-repeated=\"16380\"/>")
            + "<table:table-row table:number-rows-repeated=\"2\">\(Workbook.float("12.5"))<table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\" office:value=\"7\"/></table:table-row>"
            + "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
            + Workbook.row("<table:covered-table-cell/>", Workbook.text("fin"))
            + "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        let document = try SpreadsheetDocument(bytes: Workbook.ods([("Feuille1", rows)]), path: "t.ods", format: .ods)
        #expect(fields(document) == [["a", "b", "c"], ["12.5", "7", "7"], ["12.5", "7", "7"], ["", "fin"]])
        #expect(document.records.map(\.line) == [1, 2, 3, 1_048_004])
    }

    @Test func odsTextParagraphsSpacesAndComments() throws {
        let cell = """
        <table:table-cell office:value-type="string"><office:annotation><text:p>une remarque</text:p></office:annotation>\
        <text:p>L&apos;Abergement<text:s text:c="2"/>-<text:span>Clémenciat</text:span></text:p><text:p>bis</text:p></table:table-cell>
        """
        let rows = Workbook.row(Workbook.text("nom"), Workbook.text("code"), Workbook.text("oui"))
            + Workbook.row(cell, Workbook.text("01001"), "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>VRAI</text:p></table:table-cell>")
        let document = try SpreadsheetDocument(bytes: Workbook.ods([("F", rows)]), path: "t.ods", format: .ods)
        #expect(fields(document) == [["nom", "code", "oui"], ["L'Abergement  -Clémenciat\nbis", "01001", "VRAI"]])
    }

    @Test(arguments: [
        ("12", "12"), ("12.0", "12"), ("12.5", "12.5"), ("0.1", "0.1"), ("0.1000000000000001", "0.1"),
        ("0.30000000000000004", "0.3"), ("1.25E-2", "0.0125"), ("1001", "1001"), ("-3.5", "-3.5"), ("2.5e3", "2500"),
        ("123456.789", "123456.789"), ("abc", "abc"),
    ])
    func numbersWithoutFloatNoise(_ stored: String, _ shown: String) {
        #expect(SpreadsheetDocument.numberText(stored) == shown)
    }

    // MARK: Sheets

    @Test func namedOrFirstVisibleSheet() throws {
        let bytes = try Workbook.xlsx([("Cachée", "<row r=\"1\">\(Workbook.inline("A1", "h"))</row>"), ("Notes", "<row>\(Workbook.inline("A1", "n"))</row>"),
                                       ("Objectifs", "<row>\(Workbook.inline("A1", "o"))</row>")], hidden: ["Cachée"])
        #expect(try SpreadsheetDocument(bytes: bytes, path: "o.xlsx", format: .xlsx).sheet == "Notes")
        #expect(try SpreadsheetDocument(bytes: bytes, path: "o.xlsx", format: .xlsx, sheet: "objectifs").records[0].fields == ["o"])
        #expect(throws: BilanError.self) { try SpreadsheetDocument(bytes: bytes, path: "o.xlsx", format: .xlsx, sheet: "Objectif") }
        do {
            _ = try SpreadsheetDocument(bytes: bytes, path: "o.xlsx", format: .xlsx, sheet: "Objectif")
        } catch {
            #expect(error.description.contains("pas de feuille « Objectif » dans o.xlsx"))
            #expect(error.description.contains("« Objectifs »"))
        }
        let ods = try Workbook.ods([("Notes", Workbook.row(Workbook.text("n"))), ("Objectifs", Workbook.row(Workbook.text("o")))])
        #expect(try SpreadsheetDocument(bytes: ods, path: "o.ods", format: .ods, sheet: "Objectifs").records[0].fields == ["o"])
        #expect(try SpreadsheetDocument(bytes: ods, path: "o.ods", format: .ods).sheet == "Notes")
    }

    /// `fichiers.feuilles` picks the sheet; a missing one is reported where plh.yaml names it.
    @Test func projectChoosesItsSheet() throws {
        // The objectives sheet second, after a sheet of notes.
        let rows = try SpreadsheetDocument(bytes: Workbook.objectives(), path: "o", format: .xlsx).records
        let xml = rows.map { r in
            "<row r=\"\(r.line)\">" + r.fields.enumerated().map { Workbook.inline("\(SpreadsheetDocument.columnName($0 + 1))\(r.line)", $1) }.joined() + "</row>"
        }.joined()
        let workbook = try Workbook.xlsx([("Notes", Workbook.inline("A1", "à lire")), ("Objectifs", xml)])
        let cases: [(String, String?)] = [("Objectifs", nil), ("Objectif", "erreur : pas de feuille « Objectif » dans ")]
        for (sheet, expected) in cases {
            var plan = TestProject.miniFiles["plh.yaml"]!
            plan += "fichiers:\n  objectifs: objectifs.xlsx\n  feuilles:\n    objectifs: \(sheet)\n"
            let lines = plan.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
            try project.write("objectifs.xlsx", bytes: workbook)
            let found = errors(project)
            if let expected {
                #expect(found.count == 1)
                #expect(found.first?.hasPrefix("plh.yaml:\(lines):16: \(expected)") == true, "\(found)")
                #expect(found.first?.contains("vouliez-vous dire « Objectifs » ?") == true, "\(found)")
            } else {
                #expect(found.isEmpty, "\(found)")
            }
        }
    }

    // MARK: Errors

    /// A bad cell is located by file, sheet, row and column.
    @Test func badNumberLocatedBySheetRowAndColumn() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  objectifs: objectifs.xlsx\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
        try project.write("objectifs.xlsx", bytes: Workbook.objectives(thirdDwellings: "douze"))
        let found = errors(project)
        #expect(found == ["objectifs.xlsx (feuille « Objectifs »):4:4: erreur : objectif « douze » n'est pas un nombre positif\n  → écrivez par exemple 120 ou 12,5"])
    }

    @Test func filledCellOutsideTheHeader() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  objectifs: objectifs.xlsx\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
        try project.write("objectifs.xlsx", bytes: Workbook.objectives(extra: Workbook.inline("G2", "note")))
        let found = errors(project)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("objectifs.xlsx (feuille « Objectifs »):2:7: erreur : cellule remplie hors du tableau : la colonne G n'a pas d'en-tête") == true, "\(found)")
    }

    @Test func emptySheet() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  communes: communes.ods\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "communes.csv": nil])
        try project.write("communes.ods", bytes: Workbook.ods([("Communes", "<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell/></table:table-row>")]))
        let found = errors(project)
        #expect(found.first?.hasPrefix("communes.ods (feuille « Communes »): erreur : la feuille est vide") == true, "\(found)")
    }

    /// A file named `.xlsx` that is not a ZIP archive (a CSV renamed, an old `.xls`) is a French error, not a crash.
    @Test func notAWorkbook() throws {
        for (bytes, message) in [
            (Array("code_insee;commune\n".utf8), "ce fichier n'est pas un classeur Excel (.xlsx) : son contenu n'est pas une archive ZIP"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100), "format Excel 97-2003 (.xls)"),
            (try Workbook.zip([("bonjour.txt", Array("x".utf8))]), "cette archive ZIP n'est pas un classeur Excel (.xlsx)"),
        ] {
            var plan = TestProject.miniFiles["plh.yaml"]!
            plan += "fichiers:\n  objectifs: objectifs.xlsx\n"
            let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
            try project.write("objectifs.xlsx", bytes: bytes)
            let found = errors(project)
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("objectifs.xlsx: erreur : ") == true && found.first?.contains(message) == true, "\(found)")
        }
    }

    /// An old `.xls` (or `.xlsm`, `.numbers`) named in plh.yaml is refused by name, not read as a garbled CSV.
    @Test func unreadWorkbookFormats() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  objectifs: objectifs.xls\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
        try project.write("objectifs.xls", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x80, 0x81])
        #expect(errors(project) == ["objectifs.xls: erreur : les classeurs Excel 97-2003 (.xls) ne sont pas lus\n  → ouvrez-le dans le tableur et enregistrez-le au format .xlsx, .ods ou CSV, puis indiquez ce nom dans plh.yaml"])
    }

    /// A zip bomb: a few kilobytes that inflate to more than the 64 MB a part may take are refused from the
    /// archive's directory, before inflating anything.
    @Test func zipBombRefused() throws {
        let huge = [UInt8](repeating: 0x20, count: (64 << 20) + 1)
        let bytes = try Workbook.zip([("xl/workbook.xml", Array("<workbook><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
                                      ("xl/_rels/workbook.xml.rels", Array("<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
                                      ("xl/worksheets/sheet1.xml", huge)])
        #expect(bytes.count < 200_000)
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  objectifs: objectifs.xlsx\n"
        let project = try TestProject.mini(changing: ["plh.yaml": plan, "objectifs.csv": nil])
        try project.write("objectifs.xlsx", bytes: bytes)
        let found = errors(project)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("objectifs.xlsx: erreur : classeur refusé : la partie « xl/worksheets/sheet1.xml » dépasse 64 Mo une fois décompressée") == true, "\(found)")
    }

    /// An archive whose directory understates a part's size is stopped while inflating, at the limit.
    @Test func lyingSizesStoppedWhileInflating() throws {
        let content = [UInt8](repeating: 0x20, count: 3 << 20)
        var bytes = try Workbook.zip([("content.xml", content)])
        // Declare 100 bytes in the local header (offset 22) and the central directory entry (offset 24).
        func patch(_ signature: [UInt8], _ offset: Int) {
            guard let start = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == signature }) else { return }
            bytes.replaceSubrange((start + offset)..<(start + offset + 4), with: [100, 0, 0, 0])
        }
        patch([0x50, 0x4B, 0x03, 0x04], 22)
        patch([0x50, 0x4B, 0x01, 0x02], 24)
        var limits = SpreadsheetLimits()
        limits.entryBytes = 1 << 20
        #expect {
            try SpreadsheetDocument(bytes: bytes, path: "c.ods", format: .ods, limits: limits)
        } throws: { error in
            "\(error)".hasPrefix("c.ods: erreur : classeur refusé : la partie « content.xml » dépasse 1 Mo une fois décompressée")
        }
        limits = SpreadsheetLimits()
        limits.totalBytes = 2 << 20
        let honest = try Workbook.zip([("content.xml", content)])
        #expect {
            try SpreadsheetDocument(bytes: honest, path: "c.ods", format: .ods, limits: limits)
        } throws: { error in
            "\(error)".contains("classeur refusé : ses parties dépassent 2 Mo une fois décompressées")
        }
    }

    /// Filled rows repeated a million times are not expanded past the cell limit.
    @Test func repeatedFilledRowsHitTheCellLimit() throws {
        let rows = Workbook.row(Workbook.text("a"))
            + "<table:table-row table:number-rows-repeated=\"90000000\">\(Workbook.text("x"))</table:table-row>"
        #expect {
            try SpreadsheetDocument(bytes: Workbook.ods([("F", rows)]), path: "t.ods", format: .ods)
        } throws: { error in
            "\(error)".hasPrefix("t.ods (feuille « F »):2: erreur : feuille trop grande : plus de 5") && "\(error)".contains("000 cellules")
        }
    }

    @Test func malformedXML() throws {
        for (rows, reason) in [
            ("<row r=\"1\"><c r=\"A1\"><v>1</v></row>", "balise fermante </row> inattendue"),
            ("<row r=\"1\"><c r=\"A1\"><v>&nbsp;</v></c></row>", "entité « &nbsp; » inconnue"),
            ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>", ""),
        ] {
            let bytes = try Workbook.xlsx([("F", rows)])
            #expect {
                try SpreadsheetDocument(bytes: bytes, path: "t.xlsx", format: .xlsx)
            } throws: { error in
                reason.isEmpty ? "\(error)".hasPrefix("t.xlsx (feuille « F »):1:1: erreur : cellule illisible : elle renvoie au texte partagé n° 7")
                    : "\(error)".contains("la partie « xl/worksheets/sheet1.xml » n'est pas du XML valide (\(reason), ligne 2")
            }
        }
        let doctype = try Workbook.zip([("content.xml", Array("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>".utf8))])
        #expect {
            try SpreadsheetDocument(bytes: doctype, path: "t.ods", format: .ods)
        } throws: { error in "\(error)".contains("déclaration de type de document refusée") }
    }

    @Test func sourcesFileAndSheetsOnCSVRefused() throws {
        var plan = TestProject.miniFiles["plh.yaml"]!
        plan += "fichiers:\n  sources: sources.xlsx\n  feuilles:\n    communes: Communes\n"
        let found = errors(try TestProject.mini(changing: ["plh.yaml": plan]))
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("fichiers.sources : « sources.xlsx » est un classeur") })
        #expect(found.contains { $0.contains("fichiers.feuilles.communes : « communes.csv » n'est pas un classeur") })
    }

    @Test func formatByExtension() {
        #expect(SpreadsheetFormat(path: "a/Objectifs.XLSX") == .xlsx)
        #expect(SpreadsheetFormat(path: "communes.Ods") == .ods)
        #expect(SpreadsheetFormat(path: "production.csv") == nil)
        #expect(SpreadsheetFormat(path: "xlsx") == nil)
        #expect(SpreadsheetDocument.columnName(28) == "AB")
        #expect(XLSXReader.reference("$AB$12")! == (28, 12))
        #expect(XLSXReader.resolve("../media/x.xml", from: "xl/worksheets/") == "xl/media/x.xml")
    }
}
