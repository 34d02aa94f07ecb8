import PLHCompute
import PLHLoad
import PLHBase
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

@Suite struct RenderTests {
    let project: Project
    let achievement: Achievement

    init() throws {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        achievement = Achievement(project: project)
    }

    @Test func viewModelMatchesItsSchema() throws {
        var model = ViewModel(project: project, achievement: achievement)
        let value = try model.value()
        #expect(value.mismatch(with: .object(ViewModelSchema.root)) == nil)
    }

    @Test func tableRowsAreFrenchStrings() throws {
        var model = ViewModel(project: project, achievement: achievement)
        let value = try model.value()
        guard case .object(let root) = value, case .list(let orientations) = root["orientations"],
              case .object(let o) = orientations[0], case .object(let table) = o["bilan_global"],
              case .list(let rows) = table["lignes"], case .object(let prive) = rows[2],
              case .object(let social) = rows[0] else {
            Issue.record("unexpected view model shape"); return
        }
        #expect(prive["taux_plan"] == .text("sans objectif"))
        #expect(prive["objectif_plan"] == .text("—"))
        #expect(social["objectif_plan"] == .text("396"))
        #expect(social["objectif_a_date"] == .text("198"))
        #expect(social["taux_a_date"] == .text("47\u{A0}%"))
    }

    @Test func valuesAreEscapedInHTML() throws {
        var hostile = project
        hostile.communes[0].name = "<script>alert(1)</script>"
        hostile.epci.name = "A & B \"C\""
        let html = try BilanRenderer(templates: TemplateSet(overrides: []))
            .render(project: hostile, achievement: Achievement(project: hostile)).html
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("A &amp; B &quot;C&quot;"))
    }

    @Test func annexesHaveTheStableHeadersAndDialect() throws {
        let files = Annexes.files(project: project, achievement: achievement)
        #expect(files.map(\.path) == ["annexes/production-communes.csv", "annexes/realisation-categories.csv", "annexes/realisation-communes.csv",
                                      "annexes/annexes.xlsx"])
        for file in files where file.path.hasSuffix(".csv") {
            #expect(file.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(file.bytes.suffix(2) == [0x0D, 0x0A])
        }
        let categories = String(decoding: files[1].bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(categories[0] == "categorie;segment;objectif_plh;objectif_a_date;production;taux_realisation_plh;taux_realisation_a_date;part_production")
        #expect(categories.contains("centre;social;360;180;90;25;50;69,2"))
        #expect(categories.contains("centre;prive;;;10;;;7,7"))
        // « prive » has no objective: its dwellings are production, not part of the rates (120 of 480, 132 of 552).
        #expect(categories.contains("centre;ensemble;480;240;130;25;50;100"))
        #expect(categories.contains("EPCI;ensemble;552;276;147;23,9;47,8;100"))
        let communes = String(decoding: files[2].bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(communes[0] == "code_insee;commune;categorie;segment;objectif_plh;objectif_a_date;production;taux_realisation_plh;taux_realisation_a_date;part_production")
        #expect(communes.contains("2A004;Ajaccio;centre;social;;;90;;;69,2"))
        #expect(communes.contains("97101;Les Abymes;villages;accession;36;18;9;25;50;64,3"))
        let production = String(decoding: files[0].bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(production[0] == "code_insee;commune;categorie;annee;segment;logements")
        #expect(production[1] == "2A004;Ajaccio;centre;2020;social;50")
    }

    @Test func formulaCellsAreNeutralisedButNumbersStay() {
        #expect(Annexes.cell("=SOMME(A1:A2)") == "'=SOMME(A1:A2)")
        #expect(Annexes.cell("+33 6") == "'+33 6")
        #expect(Annexes.cell("@cmd") == "'@cmd")
        #expect(Annexes.cell("-12,5") == "-12,5")
        #expect(Annexes.cell("-") == "'-")
        #expect(Annexes.cell("a;b") == "\"a;b\"")
        #expect(Annexes.cell("dit \"x\"") == "\"dit \"\"x\"\"\"")
    }

    @Test func annexCellsWrittenAsBytesAgreeWithTheStringFormatting() {
        // Deterministic spread of values: rates, negative stock changes, halves that round away from zero.
        var values: [Double] = [0, -0.0, 0.04, -0.04, 0.05, -0.05, 12.25, -12.25, 33.333, 99.95, 1e9 + 0.5, -7]
        var seed: UInt64 = 0x2545F4914F6CDD1D
        for _ in 0..<2000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            values.append((Double(Int64(bitPattern: seed) % 2_000_000) / 997).rounded(.towardZero) / Double(1 + seed % 40))
        }
        for value in values {
            var cells = CSVBytes(bom: false)
            cells.number(value)
            #expect(cells.finish() == Array(French.plainNumber(value).utf8), "\(value)")
        }
        for value in [0, 7, -7, 10, 2019, -1_000_000, Int.max, Int.min] {
            var cells = CSVBytes(bom: false)
            cells.integer(value)
            #expect(cells.finish() == Array(String(value).utf8))
        }
        var row = CSVBytes(bom: false)
        row.text("=1+1")
        row.raw(Array("a;b".utf8))
        row.number(nil)
        row.text("x;y")
        row.endRow()
        #expect(String(decoding: row.finish(), as: UTF8.self) == "'=1+1;a;b;;\"x;y\"\r\n")
    }
}

@Suite struct NarrativeFigureTests {
    func render(_ markdown: String) throws(BilanError) -> String {
        var project = try! ProjectLoader(folder: ProjectFolder(try! TestProject.mini().path)).load().project
        project.orientations[0].globalNarrative = Narrative(path: "global.md", displayPath: "projet/global.md", markdown: markdown)
        return try BilanRenderer(templates: TemplateSet(overrides: [])).render(project: project, achievement: Achievement(project: project)).html
    }

    @Test func figuresAreTheTablesStrings() throws {
        let html = try render("Production : {{EPCI.ensemble.production}} logements, {{centre.social.taux_a_date}} de l'objectif à date ; Ajaccio : {{2A004.ensemble.production}}.{{! note interne }}\n")
        #expect(html.contains("<p>Production\u{A0}: 147 logements, 50\u{A0}% de l’objectif à date\u{202F}; Ajaccio\u{A0}: 130.</p>"))
        #expect(!html.contains("note interne"))
    }

    @Test func everyListedFigureResolvesToItsValueAndNoOther() throws {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        let project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        let figures = ViewModel(project: project, achievement: Achievement(project: project)).figures
        let names = figures.names
        #expect(names.count > 100)
        for (name, value) in names { #expect(figures.value(name) == value, "\(name)") }
        // Listed names are the only ones: a unit, segment or field that does not exist, or a piece of a name.
        for missing in ["EPCI.ensemble", "EPCI.ensemble.inconnu", "EPCI.PLAIX.production", "99999.ensemble.production",
                        "ensemble.production", "EPCI..production", ".EPCI.ensemble.production", "bilan", "plh.duree.production"] {
            #expect(figures.value(missing) == nil, "\(missing)")
        }
    }

    @Test func unknownFigureIsALocatedError() {
        do {
            _ = try render("Premier paragraphe.\n\nLe taux est de {{EPCI.ensemble.taux_plann}}.\n")
            Issue.record("an unknown figure must fail")
        } catch {
            #expect(error.kind == .input)
            #expect(error.diagnostics.first?.description == """
                projet/global.md:3:16: erreur : chiffre « EPCI.ensemble.taux_plann » inconnu
                  → vouliez-vous dire « EPCI.ensemble.taux_plan » ?
                """)
        }
    }

    @Test func onlyFiguresAreAllowed() {
        do {
            _ = try render("{{#EPCI}}x{{/EPCI}}\n")
            Issue.record("sections must fail")
        } catch {
            #expect(error.diagnostics.first?.message == "seuls les chiffres {{nom}} sont permis dans un récit")
            #expect(error.diagnostics.first?.location?.line == 1)
        }
    }
}
