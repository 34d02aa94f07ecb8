import Foundation
import PLHBilan
import PLHTestSupport
import Testing

/// The README's Swift example, as a consumer of the PLHBilan product would write it (no @testable).
@Suite struct PublicAPITests {
    @Test func readmeSwiftExample() throws {
        let generator = try BilanGenerator(projectFolder: TestProject.callExample)
        let loaded = try generator.load()
        let achievement = Achievement(project: loaded.project)
        #expect(abs((achievement.epci.total.rateAgainstPlan ?? 0) - 3440.0 / 7860) < 1e-12)
        let bilan = try generator.render(loaded.project, achievement)
        #expect(bilan.html.contains("<h1>Bilan triennal"))
        #expect(bilan.annexes.map(\.path) == ["annexes/production-communes.csv", "annexes/realisation-categories.csv",
                                               "annexes/realisation-communes.csv", "annexes/annexes.xlsx"])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try generator.generate(into: out.path)
        #expect(result.files.count == 5, "bilan.html, 3 CSV annexes and the workbook")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("call-2014-2020/bilan.html").path))
    }

    /// The templates are parsed beside the load, but their errors still come before those of the project's files,
    /// as when they were parsed first; and nothing is written.
    @Test func templateErrorsComeBeforeTheProjectsOwn() throws {
        let project = try TestProject.mini(changing: ["production.csv": "code_insee;annee;segment;logements\n2A004;deux mille;social;5\n",
                                                      "gabarits/couverture.mustache": "{{#epci}}sans fin"])
        defer { project.remove() }
        let generator = try BilanGenerator(projectFolder: project.root.path)
        #expect(throws: BilanError.self) { try generator.load() }
        do {
            _ = try generator.load()
        } catch {
            #expect(error.kind == .template)
            #expect(error.diagnostics.first?.location?.path.hasSuffix("projet/gabarits/couverture.mustache") == true)
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        do {
            _ = try generator.generate(into: out.path)
            Issue.record("a bilan was generated with a broken template")
        } catch {
            #expect(error.kind == .template)
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("projet").path))

        // The same project with its template repaired: now the production's error.
        try project.write("gabarits/couverture.mustache", "{{#epci}}fin{{/epci}}")
        do {
            _ = try BilanGenerator(projectFolder: project.root.path).load()
            Issue.record("a production with a year in words was read")
        } catch {
            #expect(error.kind != .template)
            #expect(error.diagnostics.contains { $0.location?.path.hasSuffix("production.csv") == true })
        }
    }
}
