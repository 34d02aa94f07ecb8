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
}
