import Foundation
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHCLI

/// Runs the command in-process and captures what it prints.
func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
    final class Box: @unchecked Sendable { var out: [String] = []; var err: [String] = [] }
    let box = Box()
    let tool = CommandLineTool(standardOutput: { box.out.append($0) }, standardError: { box.err.append($0) })
    let code = tool.run(arguments)
    return (code, box.out.joined(separator: "\n"), box.err.joined(separator: "\n"))
}

func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func contents(_ url: URL) -> [UInt8]? {
    FileManager.default.contents(atPath: url.path).map { [UInt8]($0) }
}

@Suite struct CLITests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/call-2014-2020")
    static let outputs = ["bilan.html", "annexes/production-communes.csv", "annexes/realisation-categories.csv",
                          "annexes/realisation-communes.csv"]

    @Test func renderTheCALLExampleMatchesTheGoldenFiles() throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", TestProject.callExample, "--output", out.path])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("call-2014-2020/bilan.html"))
        #expect(result.err.isEmpty)
        for file in Self.outputs {
            let actual = try #require(contents(out.appendingPathComponent("call-2014-2020/\(file)")), "\(file) not written")
            if let diff = goldenMismatch(actual, golden: Self.golden.appendingPathComponent(file)) {
                Issue.record(Comment(rawValue: diff))
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(leftovers == ["call-2014-2020"], "no temporary folder left behind")
    }

    @Test func theDocumentHasTheShapeOfTheCALLBilan() throws {
        let html = String(decoding: try #require(contents(Self.golden.appendingPathComponent("bilan.html"))), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"))
        #expect(html.components(separatedBy: "<h1").count == 2, "one h1")
        #expect(html.contains("Bilan triennal"))
        #expect(html.contains("25 juin 2019"))
        #expect(html.contains("Données de cadrage"))
        #expect(html.contains("242\u{202F}386"))
        #expect(html.contains("15 décembre 2014"))
        #expect(html.components(separatedBy: "<section id=\"orientation-").count - 1 == 3 + 4, "3 orientations, 4 sectors")
        #expect(html.components(separatedBy: "<caption>").count - 1 == 1 + 5 + 1 + 4, "typology, global + 4 sectors, communes, 4 chart data tables")
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4, "4 charts")
        #expect(!html.contains("<th>"), "every header cell has a scope")
        for external in ["<link", "<script", "src=", "@import", "url(http", "url(//", "href=\"http://"] {
            #expect(!html.contains(external), "self-contained: no \(external)")
        }
    }

    @Test func checkValidatesWithoutWriting() {
        let result = run(["check", TestProject.callExample])
        #expect(result.code == 0)
        #expect(result.out.contains("Projet valide"))
    }

    @Test func inputErrorExitsWith1AndWritesNothing() throws {
        let project = try TestProject.mini(changing: ["communes.csv": "code_insee;commune;population;categorie\n2A004;Ajaccio;beaucoup;centre\n"])
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", project.path, "--output", out.path])
        #expect(result.code == 1)
        #expect(result.err.contains("\(project.path)/communes.csv:2:15: erreur : population « beaucoup »"))
        #expect(result.err.contains("rien n'a été écrit"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test func failedRenderKeepsThePreviousOutput() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        let html = out.appendingPathComponent("projet/bilan.html")
        let before = try #require(contents(html))
        try project.write("production.csv", "code_insee;annee;segment;logements\n2A004;2020;social;-1\n")
        #expect(run(["render", project.path, "--output", out.path]).code == 1)
        #expect(contents(html) == before)
    }

    @Test func projectTemplatesOverrideTheDefaults() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        try project.write("gabarits/couverture.mustache", "<header><h1>Version locale : {{epci.nom}}</h1></header>\n")
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        let html = String(decoding: try #require(contents(out.appendingPathComponent("projet/bilan.html"))), as: UTF8.self)
        #expect(html.contains("<h1>Version locale : Communauté d’essai</h1>"))
        #expect(html.contains("Données de cadrage"), "the other templates fall back to the defaults")
    }

    @Test func templateErrorExitsWith3AndNamesTheLine() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        try project.write("gabarits/couverture.mustache", "<header>\n<h1>{{epci.nom}} {{bilan.intitul}}</h1></header>\n")
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", project.path, "--output", out.path])
        #expect(result.code == 3)
        #expect(result.err.contains("\(project.path)/gabarits/couverture.mustache:2:18: erreur : « intitul » n'existe pas dans « bilan »"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test func exportedTemplatesRoundTrip() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = run(["templates", "export", folder.path])
        #expect(result.code == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["annexes.mustache", "bilan.mustache", "cadrage.mustache", "constats.mustache", "couverture.mustache",
                          "graphique.mustache", "orientation.mustache", "styles.mustache", "synthese-entete.mustache",
                          "synthese-groupe.mustache", "synthese-ligne.mustache", "synthese.mustache", "tableau.mustache"])
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(run(["render", TestProject.callExample, "--output", out.appendingPathComponent("a").path]).code == 0)
        #expect(run(["render", TestProject.callExample, "--output", out.appendingPathComponent("b").path, "--templates", folder.path]).code == 0)
        let same = contents(out.appendingPathComponent("a/call-2014-2020/bilan.html")) == contents(out.appendingPathComponent("b/call-2014-2020/bilan.html"))
        #expect(same, "exported defaults render the same document as the built-in ones")
    }

    @Test func usageErrorsExitWith2() {
        #expect(run([]).code == 2)
        let unknown = run(["rendre", "x"])
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("commande « rendre » inconnue"))
        #expect(unknown.err.contains("« render »"))
        #expect(run(["render"]).code == 2)
        #expect(run(["render", "a", "--ouptut", "b"]).err.contains("« --output »"))
        #expect(run(["--help"]).out.contains("Codes de sortie"))
    }

    @Test func missingProjectFolder() {
        let result = run(["check", "/nonexistent/projet"])
        #expect(result.code == 1)
        #expect(result.err.contains("plh.yaml » introuvable"))
    }
}

@Suite struct DocumentationTests {
    /// docs/gabarits.md is the output of `plh-bilan templates reference`: it documents every name of the schema.
    @Test func templateReferenceIsUpToDate() throws {
        let result = run(["templates", "reference"])
        #expect(result.code == 0)
        let file = TestProject.repositoryRoot.appendingPathComponent("docs/gabarits.md")
        if let diff = goldenMismatch(Array((result.out + "\n").utf8), golden: file) {
            Issue.record(Comment(rawValue: diff))
        }
        #expect(result.out.contains("| `orientations[].secteurs[].tableau.lignes[].taux_plan` | texte |"))
    }
}

@Suite struct ReadmeTests {
    static let readme = String(decoding: contents(TestProject.repositoryRoot.appendingPathComponent("README.md")) ?? [], as: UTF8.self)

    /// The code blocks of the README, in order.
    static var blocks: [String] {
        readme.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map { block in
            block.element.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? ""
        }
    }

    /// The README's complete example is examples/minimal, file for file, and it is a valid project.
    @Test(arguments: ["plh.yaml", "communes.csv", "objectifs.csv", "production.csv"])
    func readmeExampleIsTheMinimalExample(file: String) throws {
        let path = TestProject.repositoryRoot.appendingPathComponent("examples/minimal/\(file)")
        let text = String(decoding: try #require(contents(path)), as: UTF8.self)
        let found = Self.blocks.contains(text)
        #expect(found, "README block for \(file) differs from examples/minimal/\(file)")
    }

    /// The example is a fictional EPCI whose communes show the code traps (Corsica, a leading zero, overseas): its
    /// only warnings are the DGCL comparison saying so.
    @Test func minimalExampleIsValid() {
        let result = run(["check", TestProject.repositoryRoot.appendingPathComponent("examples/minimal").path])
        #expect(result.code == 0, "\(result.err)")
        let warnings = result.err.split(separator: "\n").filter { $0.contains(": avertissement : ") }
        #expect(warnings.count == 2 && warnings.allSatisfy { $0.contains("selon la liste DGCL des EPCI") }, "\(result.err)")
    }

    @Test func readmeOpensWithTheTwoCommands() {
        let start = Self.readme.range(of: "<!-- commandes: début -->")
        let end = Self.readme.range(of: "<!-- commandes: fin -->")
        #expect(start != nil && end != nil)
        if let start, let end {
            let commands = Self.readme[start.upperBound..<end.lowerBound].split(separator: "\n").filter { !$0.hasPrefix("```") }
            #expect(commands == ["./scripts/setup-and-render.sh", "swift test"])
        }
    }
}

@Suite struct OutputSafetyTests {
    @Test func leftoversOfAnInterruptedRunAreRemoved() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let leftover = out.appendingPathComponent(".projet.tmp-999999999-1")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try Data("à moitié".utf8).write(to: leftover.appendingPathComponent("bilan.html"))
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        #expect(run(["render", project.path, "--output", out.path]).code == 0, "replacing an existing output")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["projet"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("projet").path).sorted() == ["annexes", "bilan.html"])
    }

    @Test func templatesFolderLinkedOutsideTheProjectIsRefused() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let outside = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("<h1>{{epci.nom}}</h1>".utf8).write(to: outside.appendingPathComponent("couverture.mustache"))
        try FileManager.default.createSymbolicLink(at: project.root.appendingPathComponent("gabarits"), withDestinationURL: outside)
        let result = run(["check", project.path])
        #expect(result.code == 1)
        #expect(result.err.contains("lien vers un fichier hors du dossier du projet"))
    }

    @Test func narrativeLinkedOutsideTheProjectIsRefused() throws {
        let project = try TestProject.mini(changing: ["global.md": nil])
        defer { project.remove() }
        try FileManager.default.createSymbolicLink(at: project.root.appendingPathComponent("global.md"),
                                                   withDestinationURL: URL(fileURLWithPath: "/etc/hostname"))
        let result = run(["check", project.path])
        #expect(result.code == 1)
        #expect(result.err.contains("plh.yaml:29:19: erreur : chemin « global.md » refusé"))
    }
}

@Suite struct RealWorldFilesTests {
    /// Copies the CALL example to a temporary folder, passing every text file through `transform`.
    func copyOfCALL(_ transform: (String, String) -> [UInt8]) throws -> URL {
        let source = URL(fileURLWithPath: TestProject.callExample)
        let copy = temporaryFolder().appendingPathComponent("call-2014-2020")
        let fm = FileManager.default
        for case let relative as String in fm.enumerator(atPath: source.path)! {
            let from = source.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: from.path, isDirectory: &isDirectory)
            let to = copy.appendingPathComponent(relative)
            try fm.createDirectory(at: isDirectory.boolValue ? to : to.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !isDirectory.boolValue {
                let text = String(decoding: try Data(contentsOf: from), as: UTF8.self)
                try Data(transform(relative, text)).write(to: to)
            }
        }
        return copy
    }

    /// Windows-1252 bytes of a text that only uses Latin-1 letters and a few common signs.
    func windows1252(_ text: String) -> [UInt8] {
        let high: [Character: UInt8] = ["€": 0x80, "’": 0x92, "œ": 0x9C, "Œ": 0x8C, "–": 0x96, "—": 0x97, "…": 0x85, "“": 0x93, "”": 0x94]
        return text.unicodeScalars.map { scalar in
            if let byte = high[Character(scalar)] { return byte }
            precondition(scalar.value < 0x100, "not in Windows-1252: \(scalar)")
            return UInt8(scalar.value)
        }
    }

    @Test func windows1252CommasAndCRLFRenderTheSameBilan() throws {
        let converted = try copyOfCALL { path, text in
            var text = text.replacingOccurrences(of: "\n", with: "\r\n")
            if path.hasSuffix(".csv") { text = text.replacingOccurrences(of: ";", with: ",") }
            return windows1252(text)
        }
        defer { try? FileManager.default.removeItem(at: converted.deletingLastPathComponent()) }
        let production = try Data(contentsOf: converted.appendingPathComponent("production.csv"))
        #expect(production.contains(0xE9) && production.contains(0x0D), "really Windows-1252 with CRLF")
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", converted.path, "--output", out.path])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.err.isEmpty, "no warning: \(result.err)")
        for file in CLITests.outputs {
            let same = contents(out.appendingPathComponent("call-2014-2020/\(file)")) == contents(CLITests.golden.appendingPathComponent(file))
            #expect(same, "\(file) differs from the UTF-8 original's")
        }
    }

    @Test func hostileNamesAndNarrativesAreNeutralised() throws {
        let hostile = try copyOfCALL { path, text in
            var text = text
            if path == "communes.csv" {
                text = text.replacingOccurrences(of: "62498;Lens;", with: "62498;<script>alert(1)</script>;")
                    .replacingOccurrences(of: "62510;Liévin;", with: "62510;\"=HYPERLINK(\"\"http://x\"\")\";")
            }
            if path == "recits/o1-bilan-global.md" {
                text += "\n<script>alert(2)</script>\n\n<div onmouseover=\"alert(3)\">survol</div>\n\n[cliquez](javascript:alert(4)) et [là](JaVaScRiPt:alert(5))\n"
            }
            return Array(text.utf8)
        }
        defer { try? FileManager.default.removeItem(at: hostile.deletingLastPathComponent()) }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(run(["render", hostile.path, "--output", out.path]).code == 0)
        let html = String(decoding: try #require(contents(out.appendingPathComponent("call-2014-2020/bilan.html"))), as: UTF8.self)
        #expect(!html.contains("<script"))
        #expect(!html.lowercased().contains("javascript:"))
        #expect(!html.contains("onmouseover"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, as text")
        let annex = String(decoding: try #require(contents(out.appendingPathComponent("call-2014-2020/annexes/realisation-communes.csv"))), as: UTF8.self)
        #expect(annex.contains("62510;\"'=HYPERLINK(\"\"http://x\"\")\";"), "formula neutralised in the annex")
    }

    @Test func rawHTMLWhenTheProjectAllowsIt() throws {
        let project = try TestProject.mini(changing: ["global.md": "<mark>important</mark>\n"])
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        let safe = String(decoding: contents(out.appendingPathComponent("projet/bilan.html")) ?? [], as: UTF8.self)
        #expect(!safe.contains("<mark>"))
        try project.write("plh.yaml", TestProject.miniFiles["plh.yaml"]! + "options:\n  html_brut: oui\n")
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        let raw = String(decoding: contents(out.appendingPathComponent("projet/bilan.html")) ?? [], as: UTF8.self)
        #expect(raw.contains("<mark>important</mark>"))
    }
}

@Suite struct CheckTests {
    @Test func strictRefusesWarnings() throws {
        let communes = TestProject.miniFiles["communes.csv"]! + "2B033;Bastia;45000;centre\n"
        let project = try TestProject.mini(changing: ["communes.csv": communes])
        defer { project.remove() }
        let lenient = run(["check", project.path])
        #expect(lenient.code == 0)
        #expect(lenient.err.contains("avertissement : aucune production comptée de 2020 à 2022 pour Bastia (2B033)"))
        let strict = run(["check", project.path, "--strict"])
        #expect(strict.code == 1)
        // The DGCL comparison adds its own (the mini project is fictional): all are counted.
        let printed = strict.err.split(separator: "\n").filter { $0.contains(": avertissement : ") }.count
        #expect(printed >= 2 && strict.err.contains("\(printed) avertissements : refusé avec --strict."), "\(strict.err)")
    }

    @Test func errorsBeyondTheLimitAreCounted() throws {
        var production = "code_insee;annee;segment;logements\n"
        for i in 0..<60 { production += "2A004;\(2020 + i % 3);social;x\(i)\n" }
        let project = try TestProject.mini(changing: ["production.csv": production])
        defer { project.remove() }
        let result = run(["check", project.path])
        #expect(result.code == 1)
        #expect(result.err.components(separatedBy: ": erreur : ").count - 1 == 50)
        #expect(result.err.contains("erreur : 10 autres erreurs non affichées"))
        #expect(result.err.contains("60 erreurs dans les données du projet"))
    }
}

@Suite struct PDFTests {
    @Test func missingChromiumSaysHowToInstallIt() {
        do {
            _ = try PDFPrinter(environment: ["PATH": "/nonexistent"])
            Issue.record("no browser on an empty PATH")
        } catch {
            #expect(error.kind == .missingTool)
            #expect(error.kind.exitCode == 5)
            #expect(error.diagnostics.first?.hint?.contains("sudo apt-get install chromium") == true)
        }
    }

    /// With Chromium installed (as in CI), `render --pdf` writes a PDF beside the HTML;
    /// without it, the command fails with code 5 and writes nothing.
    @Test func renderWithPDF() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", project.path, "--output", out.path, "--pdf"])
        if (try? PDFPrinter()) != nil {
            #expect(result.code == 0, "\(result.err)")
            let pdf = try #require(contents(out.appendingPathComponent("projet/bilan.pdf")))
            #expect(pdf.starts(with: Array("%PDF".utf8)))
            #expect(result.out.contains("bilan.html et bilan.pdf"))
            #expect(run(["render", project.path, "--output", out.appendingPathComponent("encore").path, "--pdf"]).code == 0)
            let again = contents(out.appendingPathComponent("encore/projet/bilan.pdf"))
            #expect(again == pdf, "the PDF is byte-identical from one run to the next")
            let text = String(decoding: pdf, as: UTF8.self)
            #expect(!text.contains("file:///") && !text.contains("/tmp/"), "no absolute path in the PDF")
        } else {
            #expect(result.code == 5)
            #expect(result.err.contains("Chromium est introuvable"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        }
    }
}

@Suite struct FindingSettingsTests {
    @Test func theProjectFileTunesFindings() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]! + """
        constats:
          en_bonne_voie: 95
          desactiver: [classement]
          textes:
            avancement/EPCI: Les objectifs quantitatifs ne sont pas atteints.

        """
        let project = try TestProject.mini(changing: ["plh.yaml": yaml])
        defer { project.remove() }
        let listed = run(["constats", project.path])
        #expect(listed.code == 0)
        #expect(listed.out.contains("avancement/EPCI\n  Les objectifs quantitatifs ne sont pas atteints."))
        #expect(!listed.out.contains("classement/EPCI"))
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(run(["render", project.path, "--output", out.path]).code == 0)
        let html = String(decoding: contents(out.appendingPathComponent("projet/bilan.html")) ?? [], as: UTF8.self)
        #expect(html.contains("<li data-constat=\"avancement/EPCI\">Les objectifs quantitatifs ne sont pas atteints.</li>"))
        #expect(!html.contains("data-constat=\"classement/EPCI\""))
    }
}

extension FindingSettingsTests {
    @Test func newKeysAreReadAndTheOldGapSaysWhatReplacesIt() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]! + """
        constats:
          exces: 150
          ecart_relatif: 30
          ecart_minimum: 4
          ecart_representation: 5
          nombre: 3

        """
        let project = try TestProject.mini(changing: ["plh.yaml": yaml])
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        let settings = loaded.project.findingSettings
        #expect(settings.excessThreshold == 1.5 && settings.representationGap == 0.3)
        #expect(settings.representationMinimum == 4 && settings.maximum == 3)
        let warning = try #require(loaded.warnings.first { $0.message.contains("ecart_representation") })
        #expect(warning.message == "constats.ecart_representation n'est plus utilisé : l'écart est désormais relatif")
        #expect(warning.location?.line != nil, "the warning names its line")
        let listed = run(["constats", project.path])
        #expect(listed.code == 0)
        let bad = try TestProject.mini(changing: ["plh.yaml": TestProject.miniFiles["plh.yaml"]! + "constats:\n  nombre: zéro\n"])
        defer { bad.remove() }
        let refused = run(["check", bad.path])
        #expect(refused.code == 1)
        #expect(refused.err.contains("plh.yaml:") && refused.err.contains("constats.nombre : « zéro » n'est pas un nombre entier d'au moins 1"))
    }
}

@Suite struct BatchCommandTests {
    @Test func batchReportsAndExitsWithTheFailures() throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let fixture = TestProject.repositoryRoot.appendingPathComponent("Tests/PLHBatchTests/Fixtures/observatoire").path
        let result = run(["batch", fixture, "--output", out.path, "--quiet", "--jobs", "2"])
        #expect(result.code == 1)
        #expect(result.out.contains("5 EPCI : 4 rendus, 1 en erreur."))
        #expect(result.err.contains("EPCI 200000005 CA aux données fausses non rendu :"))
        #expect(result.err.contains("objectifs.csv:12:16: erreur : segment « prive » non déclaré dans observatoire.yaml"))
        let again = run(["batch", fixture, "--output", out.path, "--dept", "2A,971", "--quiet"])
        #expect(again.code == 0)
        #expect(again.out.isEmpty, "quiet and successful: nothing to say")
        #expect(run(["batch", fixture, "--jobs", "zero"]).code == 2)
    }
}

/// Issue 11, defect 7: every command and subcommand has its own help, with an example, on stdout, exit 0.
/// Before the fix, `render --help` read « --help » as the project folder and `help package` was an unknown command.
@Suite struct HelpTests {
    /// Every command and subcommand, from the command list itself: a new command cannot skip these tests.
    static let paths: [[String]] = CommandLineTool.commandHelps.flatMap(\.all).map(\.path)

    static func help(_ path: [String]) -> CommandHelp? {
        CommandLineTool.commandHelps.flatMap(\.all).first { $0.path == path }
    }

    @Test(arguments: paths)
    func eachCommandHasItsOwnHelp(path: [String]) throws {
        let help = try #require(Self.help(path))
        for arguments in [path + ["--help"], path + ["-h"], ["help"] + path, ["aide"] + path, ["--help"] + path] {
            let result = run(arguments)
            #expect(result.code == 0, "\(arguments): \(result.err)")
            #expect(result.err.isEmpty, "\(arguments)")
            #expect(result.out == help.text, "\(arguments)")
        }
        let text = help.text
        #expect(text.hasPrefix("plh-bilan \(path.joined(separator: " ")) : "))
        for line in help.usageLines { #expect(text.contains("  \(line)\n"), "usage line \(line)") }
        #expect(text.contains("Exemple"))
        #expect(help.examples.contains { $0.command.hasPrefix("plh-bilan \(path[0])") || $0.command.hasPrefix("plh-bilan help \(path[0])") },
                "an example of the command itself")
        #expect(!help.summary.isEmpty && help.summary.hasSuffix("."))
    }

    @Test func globalHelpListsEveryCommandFromItsSummary() {
        for arguments in [["--help"], ["-h"], ["help"], ["aide"]] {
            let result = run(arguments)
            #expect(result.code == 0)
            #expect(result.out == CommandLineTool.usage)
        }
        for help in CommandLineTool.commandHelps.flatMap(\.all) where !help.synopsis.isEmpty {
            for line in help.usageLines { #expect(CommandLineTool.usage.contains(line)) }
            #expect(CommandLineTool.usage.contains(help.summary))
        }
        #expect(CommandLineTool.usage.contains("plh-bilan help COMMANDE"))
    }

    @Test func helpWinsOverOtherArguments() throws {
        let render = run(["render", "projet", "--output", "ailleurs", "--help"])
        #expect(render.code == 0 && render.out == Self.help(["render"])?.text)
        let sitadel = run(["import", "sitadel", "f.csv", "--project", "p", "-h"])
        #expect(sitadel.code == 0 && sitadel.out == Self.help(["import", "sitadel"])?.text)
        let initialise = run(["init", "--help"])
        #expect(initialise.code == 0 && !initialise.err.contains("--epci SIREN manquant"))
    }

    @Test func unknownHelpTopicIsAUsageErrorWithASuggestion() {
        let typo = run(["help", "rendre"])
        #expect(typo.code == 2)
        #expect(typo.err.contains("commande « rendre » inconnue") && typo.err.contains("vouliez-vous dire « render » ?"))
        let unknown = run(["help", "inconnu"])
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("commandes : init, import, render"), "\(unknown.err)")
        #expect(unknown.out.isEmpty)
        let sub = run(["help", "templates", "exprt"])
        #expect(sub.code == 2 && sub.err.contains("« export »"))
        #expect(run(["help", "render", "plus"]).code == 2)
        #expect(run(["render", "a", "--ouptut", "b"]).err.contains("Aide : plh-bilan render --help"), "usage errors point to the command's help")
        #expect(run(["import", "sitadel", "f.csv"]).err.contains("Aide : plh-bilan import sitadel --help"))
    }

    /// The parser knows options from the commands' declarations: each is on its command's usage line,
    /// and a name means the same kind of option in every command.
    @Test func declaredOptionsMatchTheUsageLines() {
        var kinds: [String: OptionHelp.Kind] = [:]
        for help in CommandLineTool.commandHelps.flatMap(\.all) {
            for option in help.options {
                #expect(help.synopsis.contains { $0.contains(option.name) }, "\(option.name) in the usage of \(help.name)")
                if let kind = kinds[option.name] { #expect(kind == option.kind, "\(option.name) in \(help.name)") }
                kinds[option.name] = option.kind
                #expect(!option.text.isEmpty)
            }
        }
        #expect(Set(kinds.keys) == Set(Options.known.keys))
    }
}

/// Issue 11, defect 11 (part): `templates export` no longer overwrites templates the user edited.
@Suite struct TemplateExportTests {
    @Test func editedTemplatesAreOnlyReplacedWithForce() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(run(["templates", "export", folder.path]).code == 0)
        let edited = folder.appendingPathComponent("couverture.mustache")
        let mine = Array("<header><h1>Ma couverture</h1></header>\n".utf8)
        try Data(mine).write(to: edited)
        let styles = folder.appendingPathComponent("styles.mustache")
        try FileManager.default.removeItem(at: styles)

        let refused = run(["templates", "export", folder.path])
        #expect(refused.code == 4)
        #expect(refused.err.contains("\(folder.path): erreur : 1 gabarit existe déjà et diffère du gabarit par défaut : « couverture.mustache » ; rien n'a été écrit"))
        #expect(refused.err.contains("--force"))
        #expect(contents(edited) == mine, "the edited template is unchanged")
        #expect(!FileManager.default.fileExists(atPath: styles.path), "nothing written")

        let again = run(["templates", "export", folder.path, "--force"])
        #expect(again.code == 0, "\(again.err)")
        #expect(again.out.contains("2 gabarits écrits dans \(folder.path) : couverture.mustache, styles.mustache ; 11 gabarits déjà identiques"))
        #expect(contents(edited) != mine)
        #expect(FileManager.default.fileExists(atPath: styles.path))
        let quiet = run(["templates", "export", folder.path])
        #expect(quiet.code == 0 && quiet.out.contains("0 gabarit écrit"), "identical files are left as they are")
    }
}

/// Issue 11, defect 10 (CLI part): messages have no English system text and no « 0 lignes ».
@Suite struct MessageWordingTests {
    @Test func frenchCountIsSingularForZeroAndOne() {
        #expect(French.count(0, "ligne") == "0 ligne")
        #expect(French.count(1, "ligne") == "1 ligne")
        #expect(French.count(2, "ligne") == "2 lignes")
        #expect(French.count(1500, "ligne lue", "lignes lues") == "1\u{202F}500 lignes lues")
    }

    @Test func checkCountsInFrench() throws {
        let project = try TestProject.mini(changing: ["production.csv": "code_insee;annee;segment;logements\n"])
        defer { project.remove() }
        let result = run(["check", project.path])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("Projet valide : 3 communes, 0 ligne de production, "), "\(result.out)")
        // Issue 11, defect 9: the summary counts the warnings printed above it.
        let printed = result.err.split(separator: "\n").filter { $0.contains("avertissement : ") }.count
        #expect(result.out.contains(", \(French.count(printed, "avertissement"))."), "\(result.out)\n\(result.err)")
    }

    /// An output that cannot be written (here below a plain file) says why in French, with the path.
    @Test func outputErrorsAreWordedInFrench() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("fichier.txt")
        try Data("x".utf8).write(to: file)
        let output = file.appendingPathComponent("sortie").path
        let result = run(["render", project.path, "--output", output])
        #expect(result.code == 4)
        #expect(result.err.contains("« \(output) »") && result.err.contains("n'est pas un dossier"), "\(result.err)")
        let exported = run(["templates", "export", file.appendingPathComponent("gabarits").path])
        #expect(exported.code == 4)
        #expect(exported.err.contains("« \(file.path)/gabarits »"), "\(exported.err)")
        for text in [result.err, exported.err] {
            for english in ["The operation", "couldn", "doesn", "No such", "Not a directory", "error"] {
                #expect(!text.contains(english), "English in \(text)")
            }
        }
    }

    @Test func systemErrorsAreWordedInFrench() {
        #expect(systemErrorText(POSIXError(.ENOENT), path: "a/b") == "« a/b » n'existe pas (ni le fichier ni l'un des dossiers du chemin)")
        #expect(systemErrorText(POSIXError(.EACCES), path: "out") == "permission refusée sur « out »")
        #expect(systemErrorText(POSIXError(.ENOSPC), path: "out") == "plus de place sur le disque pour « out »")
        #expect(systemErrorText(POSIXError(.EROFS), path: "out") == "« out » est sur un volume en lecture seule")
        #expect(systemErrorText(CocoaError(.fileWriteNoPermission), path: "out") == "permission refusée sur « out »")
        #expect(systemErrorText(CocoaError(.fileReadNoSuchFile), path: "f.csv").hasPrefix("« f.csv » n'existe pas"))
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EISDIR))])
        #expect(systemErrorText(wrapped, path: "x") == "« x » est un dossier, pas un fichier")
        // Through Foundation: reading a file that does not exist.
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/plh.yaml"))
        } catch {
            #expect(systemErrorText(error, path: "/nonexistent/plh.yaml").hasPrefix("« /nonexistent/plh.yaml » n'existe pas"))
        }
    }
}

/// Issue 11, defect 12: a missing golden file fails instead of being recorded silently.
@Suite struct GoldenHelperTests {
    @Test func missingBaselineFailsUnlessAccepted() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let golden = folder.appendingPathComponent("sous-dossier/attendu.txt")
        let bytes = Array("contenu\n".utf8)
        let missing = goldenMismatch(bytes, golden: golden, accept: false)
        #expect(missing?.contains("golden file missing") == true)
        #expect(!FileManager.default.fileExists(atPath: golden.path), "nothing recorded without the accept switch")
        #expect(goldenMismatch(bytes, golden: golden, accept: true) == nil)
        #expect(contents(golden) == bytes, "recorded with the accept switch")
        #expect(goldenMismatch(bytes, golden: golden, accept: false) == nil)
        #expect(goldenMismatch(Array("autre\n".utf8), golden: golden, accept: false)?.contains("line 1") == true)
    }
}
