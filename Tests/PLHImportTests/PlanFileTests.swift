import Foundation
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

/// The plan file edited key by key: what forms of the web application write must load as the hand-written file does.
@Suite struct PlanFileTests {
    static let example = URL(fileURLWithPath: TestProject.callExample)

    /// Loads a copy of the CALL's example with its plh.yaml replaced.
    static func load(plan text: String) throws -> LoadedProject {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("call")
        try FileManager.default.copyItem(at: example, to: folder)
        try Data(text.utf8).write(to: folder.appendingPathComponent("plh.yaml"))
        return try ProjectLoader(folder: ProjectFolder(folder.path, displayPath: ".")).load()
    }

    @Test func aRoundTripKeepsTheProject() throws {
        let text = try String(contentsOf: Self.example.appendingPathComponent("plh.yaml"), encoding: .utf8)
        let plan = try PlanFile(text: text)
        #expect(!plan.text.contains("#"))
        let original = try ProjectLoader(folder: ProjectFolder(Self.example.path, displayPath: ".")).load()
        #expect(try Self.load(plan: plan.text).project == original.project)
    }

    @Test func setValuesLoadAsTyped() throws {
        let text = try String(contentsOf: Self.example.appendingPathComponent("plh.yaml"), encoding: .utf8)
        var plan = try PlanFile(text: text)
        plan.set(["plh", "nom"], "PLH 2 : 2014-2020 # révisé")
        plan.set(["bilan", "date"], "2019-07-01")
        plan.set(["epci", "siren"], "246200364", quoted: true)
        plan.set(["fichiers", "production"], "production.csv")
        plan.set(["bilan", "avertissement"], nil)
        #expect(plan.string(["plh", "nom"]) == "PLH 2 : 2014-2020 # révisé")
        let loaded = try Self.load(plan: plan.text)
        #expect(loaded.project.plan.name == "PLH 2 : 2014-2020 # révisé")
        #expect(loaded.project.bilan.date == CalendarDate(year: 2019, month: 7, day: 1))
        #expect(loaded.project.epci.siren == "246200364")
        #expect(plan.string(["bilan", "avertissement"]) == nil)
    }

    @Test func sequencesKeepUnnamedKeysAndLinesMapToPaths() throws {
        let text = try String(contentsOf: Self.example.appendingPathComponent("plh.yaml"), encoding: .utf8)
        var plan = try PlanFile(text: text)
        let segments = plan.sequence(["segments"])
        #expect(segments.count == 5 && segments[0]["code"] == "plai")
        // The libellé changes; famille, not named by the form, stays.
        plan.setSequence(["segments"], segments.map { [("code", $0["code"]!), ("libelle", ($0["libelle"] ?? "") + " (modifié)")] })
        let loaded = try Self.load(plan: plan.text)
        #expect(loaded.project.segments[0].label == "Locatif social PLAI (modifié)")
        #expect(plan.sequence(["segments"])[0]["famille"] == "locatif social")
        let written = plan.text
        let line = try #require(written.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("date: 2019-06-25") && !$0.contains("instance") }) + 1
        #expect(PlanFile.path(atLine: line, in: written) == ["bilan", "date"])
        #expect(throws: BilanError.self) { try PlanFile(text: "epci: [oups") }
    }
}
