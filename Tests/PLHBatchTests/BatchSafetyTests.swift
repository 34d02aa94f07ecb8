import Foundation
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHBatch

/// A temporary folder of project folders, each the mini project with some files changed.
struct ProjectsFolder {
    let root: URL
    var input: String { root.appendingPathComponent("projets").path }
    var output: String { root.appendingPathComponent("sortie").path }

    init(_ projects: [String: [String: String?]]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-lot-\(UUID().uuidString)")
        for (name, changes) in projects {
            var files: [String: String?] = TestProject.miniFiles
            for (k, v) in changes { files[k] = v }
            for (path, content) in files {
                guard let content else { continue }
                let url = root.appendingPathComponent("projets/\(name)/\(path)")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(content.utf8).write(to: url)
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func run(input: String? = nil, _ configure: (inout BatchOptions) -> Void = { _ in }) throws(BilanError) -> BatchReport {
        var options = BatchOptions()
        options.output = output
        configure(&options)
        return try BatchRunner(input: input ?? self.input, options: options).run()
    }

    func report() -> String {
        String(decoding: FileManager.default.contents(atPath: output + "/" + BatchRunner.reportFile) ?? Data(), as: UTF8.self)
    }

    /// Every file under `folder`, relative, sorted.
    static func files(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }
}

/// The mini project under another SIREN and name, its communes in other départements when asked.
func otherEPCI(siren: String, name: String) -> [String: String?] {
    ["plh.yaml": TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "200000172", with: siren)
        .replacingOccurrences(of: "Communauté d'essai", with: name)]
}

@Suite struct BatchSafetyTests {
    /// Issue 11, defect 3: two projects with one SIREN and name were both « rendu », the second's folder over the
    /// first's, and the synthesis kept two rows linking to one folder. Both are now errors naming each other.
    @Test func twoProjectsWritingOneFolderAreBothRefused() throws {
        let lot = try ProjectsFolder(["a": [:], "b": [:], "c": otherEPCI(siren: "200000999", name: "CC tierce")])
        defer { lot.remove() }
        let report = try lot.run()
        #expect(report.results.map(\.status) == [.failed, .failed, .rendered])
        func message(_ project: String) -> String {
            report.results.first { $0.diagnostics.first?.location?.path == "\(lot.input)/\(project)" }?.diagnostics.first?.message ?? ""
        }
        #expect(message("a").contains("\(lot.output)/200000172-communaute-d-essai") && message("a").contains("« \(lot.input)/b »"), "\(message("a"))")
        #expect(message("b").contains("« \(lot.input)/a »"), "\(message("b"))")
        #expect(!FileManager.default.fileExists(atPath: lot.output + "/200000172-communaute-d-essai"), "nothing is written for either")
        let csv = String(decoding: FileManager.default.contents(atPath: lot.output + "/synthese/synthese-epci.csv")!, as: UTF8.self)
        #expect(!csv.contains("200000172"))
        #expect(lot.report().components(separatedBy: "200000172;Communauté d'essai;erreur;").count == 3)
    }

    /// Issue 11, defect 18: `--dept` and `--epci` filtered an observatory only; a folder of projects was processed whole.
    @Test func filtersApplyToAFolderOfProjects() throws {
        let lot = try ProjectsFolder(["a": [:], "b": otherEPCI(siren: "200000999", name: "CC tierce")])
        defer { lot.remove() }
        #expect(try lot.run { $0.departments = ["99"] }.results.isEmpty)
        #expect(try lot.run { $0.sirens = ["200000999"] }.results.map(\.siren) == ["200000999"])
        #expect(try lot.run { $0.departments = ["971"]; $0.force = true }.results.map(\.siren) == ["200000172", "200000999"],
                "a commune in Guadeloupe")
    }

    /// Issue 11, defect 19: a full disk while writing one EPCI names it, and the report is rewritten; a full disk
    /// at the end leaves no report saying « rendu » for an EPCI whose new bilan was not written.
    @Test func aFullDiskNamesTheEPCIAndLeavesNoStaleReport() throws {
        let lot = try ProjectsFolder(["a": [:], "b": otherEPCI(siren: "200000999", name: "CC tierce")])
        defer { lot.remove() }
        _ = try lot.run()
        #expect(lot.report().contains("200000172;Communauté d'essai;rendu;"))
        let global = lot.root.appendingPathComponent("projets/a/global.md")
        try Data("La production *change*.\n".utf8).write(to: global)

        let report = try lot.run { $0.simulatedFullDisk = { $0.hasSuffix("/200000172-communaute-d-essai") } }
        let failed = try #require(report.results.first { $0.siren == "200000172" })
        #expect(failed.status == .failed)
        #expect(failed.label == "200000172 Communauté d'essai")
        #expect(failed.diagnostics.first?.location?.path == "\(lot.output)/200000172-communaute-d-essai")
        #expect(failed.diagnostics.first?.message.contains("écriture impossible") == true)
        #expect(lot.report().contains("200000172;Communauté d'essai;erreur;"), "the report is rewritten")

        try Data("La production *change encore*.\n".utf8).write(to: global)
        #expect {
            try lot.run { $0.simulatedFullDisk = { $0.hasSuffix("/200000172-communaute-d-essai") || $0.hasSuffix(BatchRunner.reportFile) } }
        } throws: { error in
            let messages = (error as? BilanError)?.diagnostics.map(\.message) ?? []
            return messages.contains { $0.hasPrefix("EPCI 200000172 Communauté d'essai non rendu : écriture impossible") }
        }
        #expect(!lot.report().contains("200000172;Communauté d'essai;rendu;"), "no stale report")
        // The next run does not answer from a stamp of the stopped one.
        let again = try lot.run()
        #expect(again.results.first { $0.siren == "200000172" }?.status == .rendered)
    }

    /// Issue 11, defect 13: an output folder that is, or lies inside, an input folder, or whose EPCI folder would be
    /// an input project, is refused before anything is touched.
    @Test func anOutputOverlappingAnInputIsRefused() throws {
        let lot = try ProjectsFolder(["a": [:]])
        defer { lot.remove() }
        let before = ProjectsFolder.files(lot.root.path)
        for output in [lot.input, lot.input + "/a", lot.input + "/a/sous-dossier", lot.input + "/../projets/a"] {
            #expect(throws: BilanError.self, "\(output)") { try lot.run { $0.output = output } }
            #expect(ProjectsFolder.files(lot.root.path) == before, "\(output)")
        }
        // A project reached through a link, whose real folder is where its EPCI's folder would be written.
        let elsewhere = lot.root.appendingPathComponent("ailleurs")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: lot.input + "/a", toPath: elsewhere.path + "/200000172-communaute-d-essai")
        try FileManager.default.createSymbolicLink(atPath: lot.input + "/a", withDestinationPath: elsewhere.path + "/200000172-communaute-d-essai")
        let linked = ProjectsFolder.files(lot.root.path)
        #expect {
            try lot.run { $0.output = elsewhere.path }
        } throws: { error in
            (error as? BilanError)?.diagnostics.first?.message.contains("qui est ou contient le dossier d'entrée") == true
        }
        #expect(ProjectsFolder.files(lot.root.path) == linked)
        #expect(FileManager.default.fileExists(atPath: elsewhere.path + "/200000172-communaute-d-essai/plh.yaml"))
        // The output beside the projects, inside their folder, is fine.
        #expect(try lot.run { $0.output = lot.input + "/sortie" }.rendered == 1)
    }

    @Test func anOutputInsideTheObservatoryIsRefused() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        for output in [copy.input, copy.input + "/recits"] {
            #expect(throws: BilanError.self, "\(output)") { try copy.run { $0.output = output } }
        }
        #expect(throws: BilanError.self, "a filter that keeps no EPCI") { try copy.run { $0.output = copy.input; $0.sirens = ["999999999"] } }
        #expect(!FileManager.default.fileExists(atPath: copy.input + "/synthese"))
        #expect(!FileManager.default.fileExists(atPath: copy.input + "/recits/synthese"))
    }

    /// The batch gives its phase times in its report when its settings ask, instead of printing them on stderr
    /// (it read `PLH_BATCH_TIMING` itself); without the setting, none.
    @Test func phaseTimesComeBackInTheReport() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let timed = try copy.run { $0.settings.timing = true }
        #expect(timed.phases.map(\.name) == ["chargement", "EPCI", "rapport", "synthèse"])
        #expect(timed.phases.allSatisfy { $0.seconds >= 0 })
        #expect(try copy.run { $0.force = true }.phases.isEmpty)
    }
}

/// Issue 11, defects 5 and 9: what an observatory's rows have of suspicious is kept with the EPCI, in the report
/// and again when an unchanged batch answers from it.
@Suite struct BatchWarningTests {
    @Test func aPlanOfTwentyOneYearsIsReportedWithItsEPCI() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        try copy.edit("plh.csv") { $0.replacingOccurrences(of: "200000001;PLH 2020-2025;2020;2025", with: "200000001;PLH 2020-2040;2020;2040") }
        let report = try copy.run()
        let first = try #require(report.results.first { $0.siren == "200000001" })
        #expect(first.status == .rendered)
        #expect(first.diagnostics.map(\.message) == ["le PLH court de 2020 à 2040, soit 21 ans, alors qu'un PLH dure six ans (CCH L302-1)"])
        #expect(first.diagnostics.allSatisfy { $0.severity == .warning })
        let csv = try String(contentsOf: URL(fileURLWithPath: copy.output).appendingPathComponent(BatchRunner.reportFile), encoding: .utf8)
        #expect(csv.contains("200000001;CA du Pays Ajaccien;rendu;"), "\(csv)")
        #expect(csv.contains("soit 21 ans"))
        let again = try copy.run()
        let unchanged = try #require(again.results.first { $0.siren == "200000001" })
        #expect(unchanged.status == .unchanged && unchanged.diagnostics.map(\.severity) == [.warning])
        #expect(again.results.count == report.results.count, "one result per EPCI, warnings or not")
    }
}
