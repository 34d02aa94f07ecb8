import Foundation
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

/// `PlanFile`: plh.yaml edited key by key, read back by the loader as it was written.
@Suite struct PlanFileTests {
    /// A copy of the CALL example whose plh.yaml is `text`, loaded.
    static func loadCALL(planText: String) throws -> LoadedProject {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("call")
        try FileManager.default.copyItem(atPath: TestProject.callExample, toPath: folder.path)
        try planText.write(to: folder.appendingPathComponent("plh.yaml"), atomically: true, encoding: .utf8)
        return try ProjectLoader(folder: ProjectFolder(folder.path, displayPath: ".")).load()
    }

    static func callText() throws -> String {
        try String(contentsOfFile: TestProject.callExample + "/plh.yaml", encoding: .utf8)
    }

    @Test func theCALLRoundTripsThroughTheLoader() throws {
        let original = try Self.callText()
        let plan = try PlanFile(text: original, path: "plh.yaml")
        let before = try Self.loadCALL(planText: original)
        let after = try Self.loadCALL(planText: plan.text)
        #expect(after.project == before.project)
        // Key order is kept; comments are not.
        let keys = plan.text.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map { $0.split(separator: ":")[0] }
        #expect(keys == ["epci", "plh", "jalons", "bilan", "categories", "segments", "fichiers", "orientations"])
        #expect(plan.string(["epci", "siren"]) == "246200364")
        #expect(plan.text.contains("Communauté d'Agglomération"))
    }

    /// The colours' form fields: a `#` value is quoted (not a comment), and emptying both removes `couleurs:`.
    @Test func coloursAreWrittenReadAndRemoved() throws {
        var plan = try PlanFile(text: Self.callText(), path: "plh.yaml")
        plan.set(["couleurs", "principale"], "#7A1F3D")
        let coloured = try Self.loadCALL(planText: plan.text)
        #expect(coloured.project.colours.main.hex == "#7a1f3d")
        #expect(coloured.project.colours.light == Colours.RGB(hex: "#7a1f3d")!.tint(0.1))
        plan.set(["couleurs", "claire"], "#f4eef0")
        #expect(try Self.loadCALL(planText: plan.text).project.colours.light.hex == "#f4eef0")
        plan.set(["couleurs", "claire"], nil)
        #expect(plan.string(["couleurs", "principale"]) == "#7A1F3D")
        plan.set(["couleurs", "principale"], nil)
        #expect(!plan.text.contains("couleurs"))
        #expect(try Self.loadCALL(planText: plan.text).project.colours == .neutral)
    }

    @Test func settingEachKindOfValueReadsBackAsTyped() throws {
        var plan = try PlanFile(text: Self.callText(), path: "plh.yaml")
        plan.set(["epci", "siren"], "246200364")
        plan.set(["epci", "sigle"], "CALL : Lens")
        plan.set(["plh", "nom"], "PLH # 2 : 2014-2020")
        plan.set(["plh", "premiere_annee"], "2015")
        plan.set(["plh", "objectif_annuel"], nil)
        plan.set(["bilan", "date"], "2019-06-26")
        plan.set(["bilan", "instance"], "null")
        plan.set(["bilan", "avertissement"], nil)
        plan.set(["fichiers", "production"], "production.xlsx")
        plan.set(["constats", "en_bonne_voie"], "85")
        let reread = try PlanFile(text: plan.text, path: "plh.yaml")
        #expect(reread.string(["epci", "sigle"]) == "CALL : Lens")
        #expect(reread.string(["plh", "nom"]) == "PLH # 2 : 2014-2020")
        #expect(reread.string(["plh", "objectif_annuel"]) == nil)
        #expect(reread.string(["fichiers", "production"]) == "production.xlsx")
        #expect(plan.text.contains("siren: \"246200364\""))

        plan.set(["fichiers", "production"], nil)
        let loaded = try Self.loadCALL(planText: plan.text)
        #expect(loaded.project.epci.siren == "246200364")
        #expect(loaded.project.epci.shortName == "CALL : Lens")
        #expect(loaded.project.plan.name == "PLH # 2 : 2014-2020")
        #expect(loaded.project.plan.declaredAnnualObjective == nil)
        #expect(loaded.project.bilan.date == CalendarDate(year: 2019, month: 6, day: 26))
        #expect(loaded.project.bilan.instance == "null")
        #expect(loaded.project.bilan.notice == nil)
        #expect(loaded.project.findingSettings.onTrackThreshold == 0.85)
    }

    @Test func sequencesAreReadAndReplaced() throws {
        var plan = try PlanFile(text: Self.callText(), path: "plh.yaml")
        let milestones = plan.sequence(["jalons"])
        #expect(milestones.count == 4)
        #expect(milestones[0]["date"] == "2014-12-15")
        let segments = plan.sequence(["segments"])
        #expect(segments.map { $0["code"] } == ["plai", "locatif_social", "accession_sociale", "accession_libre", "locatif_prive"])
        plan.setSequence(["jalons"], [[("date", "2015-01-02"), ("libelle", "Adoption : conseil du 2 janvier")]])
        let loaded = try Self.loadCALL(planText: plan.text)
        #expect(loaded.project.milestones == [Milestone(date: CalendarDate(year: 2015, month: 1, day: 2)!, label: "Adoption : conseil du 2 janvier")])
        plan.setSequence(["jalons"], [])
        #expect(plan.string(["jalons"]) == nil && plan.sequence(["jalons"]).isEmpty)
    }

    @Test func aLineOfTheFileGivesItsKeyPath() throws {
        let text = try Self.callText()
        let plan = try PlanFile(text: text, path: "plh.yaml")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ prefix: String) throws -> Int { try #require(lines.firstIndex { $0.hasPrefix(prefix) }) + 1 }
        #expect(plan.path(atLine: try line("  premiere_annee:")) == ["plh", "premiere_annee"])
        #expect(plan.path(atLine: try line("  date: 2019-06-25")) == ["bilan", "date"])
        #expect(plan.path(atLine: try line("  - date: 2015-04-12")) == ["jalons", "1", "date"])
        #expect(plan.path(atLine: try line("    libelle: Accession sociale")) == ["segments", "2", "libelle"])
        #expect(plan.path(atLine: 1) == nil)
    }

    @Test func badYAMLIsALocatedFrenchError() {
        #expect {
            _ = try PlanFile(text: "plh:\n  nom: a\n   b: c: d\n", path: "plh.yaml")
        } throws: { error in
            guard let error = error as? BilanError else { return false }
            return error.diagnostics.first?.location?.line == 3 && error.description.contains("YAML invalide")
        }
    }
}
