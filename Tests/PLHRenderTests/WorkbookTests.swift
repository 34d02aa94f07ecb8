import Foundation
import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

/// `annexes/annexes.xlsx`, read back with `unzip` (its parts) and with Python's openpyxl (as a spreadsheet would).
/// The mini project has a commune whose code starts with a zero (01001), communes with and without an objective
/// of their own, and a segment without objective.
@Suite struct WorkbookTests {
    let project: Project
    let achievement: Achievement
    let workbook: [UInt8]

    init() throws {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        achievement = Achievement(project: project)
        workbook = try #require(Annexes.files(project: project, achievement: achievement).first { $0.path == "annexes/annexes.xlsx" }).bytes
    }

    /// Writes `bytes` to a temporary `.xlsx` file and runs `body` with its path.
    static func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// Runs a program, returning its exit status and standard output (standard error joined to it).
    static func execute(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcess.run(URL(fileURLWithPath: program), arguments)
    }

    /// One part of the workbook, as `unzip -p` extracts it.
    func part(_ name: String) throws -> String {
        try Self.withFile(workbook) { path in
            let result = try Self.execute("/usr/bin/unzip", ["-p", path, name])
            #expect(result.status == 0, "unzip -p \(name): \(result.output)")
            return result.output
        }
    }

    /// A cell of a sheet's XML: its style index, whether it is a string, and its text or value.
    struct Cell: Equatable {
        var style: Int
        var isText: Bool
        var value: String
    }

    /// The shared strings, in their order (`xl/sharedStrings.xml`).
    func strings() throws -> [String] {
        try part("xl/sharedStrings.xml").matches(of: try Regex(#"<si><t[^>]*>([^<]*)</t></si>"#)).map { String($0.output[1].substring!) }
    }

    /// The cells of sheet `number` by reference (`A1`), read with a pattern that matches what `Workbook` writes,
    /// strings looked up in the shared table.
    func readCells(sheet number: Int) throws -> [String: Cell] {
        let strings = try strings()
        let pattern = try Regex(#"<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?( t="s")?><v>([^<]*)</v></c>"#)
        var cells: [String: Cell] = [:]
        for match in try part("xl/worksheets/sheet\(number).xml").matches(of: pattern) {
            let reference = String(match.output[1].substring!)
            let style = match.output[2].substring.flatMap { Int($0) } ?? 0
            let text = match.output[3].substring != nil
            let raw = String(match.output[4].substring!)
            cells[reference] = Cell(style: style, isText: text, value: text ? strings[Int(raw)!] : raw)
        }
        return cells
    }

    /// The texts of row `row`, column after column (empty for an empty cell), up to the last cell.
    static func row(_ row: Int, of cells: [String: Cell], columns: Int) -> [String] {
        (0..<columns).map { cells[String(UnicodeScalar(UInt8(0x41 + $0))) + String(row)]?.value ?? "" }
    }

    @Test func partsAreTheMinimalSpreadsheetInAFixedOrder() throws {
        let listing = try Self.withFile(workbook) { try Self.execute("/usr/bin/unzip", ["-Z1", $0]) }
        #expect(listing.status == 0)
        #expect(listing.output.split(separator: "\n") == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                         "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                                         "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"])
        let book = try part("xl/workbook.xml")
        #expect(book.contains(#"<sheet name="Production" sheetId="1" r:id="rId1"/><sheet name="Réalisation catégories" sheetId="2" r:id="rId2"/>"#
            + #"<sheet name="Réalisation communes" sheetId="3" r:id="rId3"/><sheet name="Notes" sheetId="4" r:id="rId4"/>"#))
        let styles = try part("xl/styles.xml")
        #expect(styles.contains(#"<numFmt numFmtId="165" formatCode="0.0%"/>"#))
        #expect(styles.contains("<font><b/>"))
    }

    @Test func sheetsHaveFrenchHeadersAFrozenRowAndAFilter() throws {
        let production = try part("xl/worksheets/sheet1.xml")
        #expect(production.contains(#"<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(production.contains(#"<col min="1" max="1" width="12" customWidth="1"/>"#))
        let rows = achievement.countedProduction.count + 1
        #expect(production.contains(#"<autoFilter ref="A1:F\#(rows)"/>"#))
        let cells = try readCells(sheet: 1)
        #expect(Self.row(1, of: cells, columns: 6) == ["Code INSEE", "Commune", "Catégorie", "Année", "Segment", "Logements"])
        #expect(Self.row(2, of: cells, columns: 6) == ["2A004", "Ajaccio", "Centre", "2020", "Locatif social", "50"])

        let categories = try readCells(sheet: 2)
        #expect(Self.row(1, of: categories, columns: 9) == ["Catégorie", "Segment", "Objectif du PLH", "Objectif à date", "Production",
                                                            "Taux de réalisation (PLH)", "Taux de réalisation (à date)",
                                                            "Part de la production", "Part dans les objectifs"])
        let last = achievement.categories.count * (project.segments.count + 1) + project.segments.count + 2
        #expect(Self.row(last, of: categories, columns: 2) == ["Ensemble de l'EPCI", "Ensemble"])
        let communes = try readCells(sheet: 3)
        #expect(Self.row(1, of: communes, columns: 4) == ["Code INSEE", "Commune", "Catégorie", "Segment"])
    }

    @Test func stringsAreStoredOnce() throws {
        let strings = try strings()
        #expect(Set(strings).count == strings.count)
        #expect(strings.contains("Ajaccio") && strings.contains("Locatif social"))
    }

    @Test func codesAreTextAndRatesAreFractionsShownAsPercentages() throws {
        let communes = try readCells(sheet: 3)
        let zero = try #require(communes.first { $0.value.value == "01001" }, "the commune 01001 is written with its zero")
        #expect(zero.value.isText && zero.value.style == Workbook.Style.code.rawValue)
        #expect(!communes.values.contains { $0.value == "1001" })

        // Centre, all segments: 130 dwellings for an objective of 480, i.e. 0.2708…, not 27,1.
        let centre = try #require(achievement.categories.first).total
        let rate = try #require(centre.rateAgainstPlan)
        let categories = try readCells(sheet: 2)
        let row = project.segments.count + 2
        #expect(categories["F\(row)"] == Cell(style: Workbook.Style.percent.rawValue, isText: false, value: rate.description))
        #expect(categories["C\(row)"] == Cell(style: Workbook.Style.decimal.rawValue, isText: false, value: "480.0"))
        #expect(categories["E\(row)"] == Cell(style: Workbook.Style.integer.rawValue, isText: false, value: "130"))
        // Centre, privé (third segment): no objective, so empty cells rather than zeros; its share of production stays.
        // Its share of the objectives is a true zero: the category has objectives, none for this segment.
        let prive = achievement.categories[0].bySegment[2].figures
        let share = try #require(prive.shareOfProduction)
        #expect(prive.shareOfObjective == 0)
        #expect(Self.row(4, of: categories, columns: 9) == ["Centre", "Locatif privé", "", "", "10", "", "", share.description, "0.0"])

        let notes = try readCells(sheet: 4)
        #expect(notes["B2"] == Cell(style: Workbook.Style.code.rawValue, isText: true, value: "200000172"))
        #expect(notes.values.contains { $0.value.contains("Réalisation catégories") }, "communes without an objective of their own are explained")
    }

    @Test func textIsEscapedAndControlCharactersDropped() throws {
        var hostile = project
        hostile.communes[0].name = "A & <B> \"C\"\u{1}\u{1B}[31m\u{FFFE}"
        let bytes = Annexes.workbook(project: hostile, achievement: Achievement(project: hostile))
        let strings = try Self.withFile(bytes) { try Self.execute("/usr/bin/unzip", ["-p", $0, "xl/sharedStrings.xml"]) }.output
        #expect(strings.contains("<si><t>A &amp; &lt;B&gt; &quot;C&quot;</t></si>"))
        #expect(!strings.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0 == "\u{FFFE}" })
    }

    @Test func twoRendersAreByteIdentical() {
        let again = Annexes.workbook(project: project, achievement: Achievement(project: project))
        #expect(again == workbook)
        #expect(workbook.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    }

    /// The Python to run: `PLH_PYTHON` when set (CI gives the one it installed openpyxl for), else `python3`.
    static let python = ProcessInfo.processInfo.environment["PLH_PYTHON"] ?? "python3"
    static let hasOpenpyxl = (try? execute("/usr/bin/env", [python, "-c", "import openpyxl"]).status) == 0

    /// What a spreadsheet sees: openpyxl loads the workbook, and its cells have the types and formats meant.
    @Test(.enabled(if: hasOpenpyxl, "openpyxl is missing: pip install openpyxl (CI installs it)"))
    func openpyxlReadsCodesAsTextRatesAsPercentagesAndTheFrozenHeader() throws {
        let script = #"""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        assert wb.sheetnames == ["Production", "Réalisation catégories", "Réalisation communes", "Notes"], wb.sheetnames
        for name in wb.sheetnames[:3]:
            ws = wb[name]
            assert ws.freeze_panes == "A2", (name, ws.freeze_panes)
            assert ws.auto_filter.ref == "A1:" + ws.cell(1, ws.max_column).column_letter + str(ws.max_row), (name, ws.auto_filter.ref)
        ws = wb["Réalisation communes"]
        header = [c.value for c in ws[1]]
        assert header[:4] == ["Code INSEE", "Commune", "Catégorie", "Segment"], header
        rows = list(ws.iter_rows(min_row=2))
        zero = [r for r in rows if r[0].value == "01001"]
        assert zero and isinstance(zero[0][0].value, str), [r[0].value for r in rows]
        rate = header.index("Taux de réalisation (PLH)")
        rated = [r[rate] for r in rows if r[rate].value is not None]
        assert rated and all(isinstance(c.value, float) and "%" in c.number_format for c in rated), [(c.value, c.number_format) for c in rated]
        ajaccio = [r for r in rows if r[0].value == "2A004"]
        assert ajaccio and all(r[header.index("Objectif du PLH")].value is None for r in ajaccio), "no objective of its own: empty"
        assert all(isinstance(r[header.index("Production")].value, int) for r in rows)
        notes = wb["Notes"]
        assert notes["B2"].value == "200000172", notes["B2"].value
        print("ok")
        """#
        let result = try Self.withFile(workbook) { try Self.execute("/usr/bin/env", [Self.python, "-c", script, $0]) }
        #expect(result.status == 0 && result.output == "ok\n", "\(result.output)")
    }
}
