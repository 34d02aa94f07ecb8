import Foundation
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHLoad

/// The corpus of bad inputs: each folder of BadInputs/ changes the mini project (a file `X.absent`
/// removes X) and `attendu.txt` holds every message the load must give, with its location.
/// Re-record with PLH_ACCEPT_GOLDEN=1 and review the diff.
enum BadInputCorpus {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputs")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// What `plh-bilan check` reports for the case, paths shown relative to a folder named « projet ».
    static func messages(_ name: String) throws -> String {
        let caseFolder = folder.appendingPathComponent(name)
        var files: [String: String?] = TestProject.miniFiles
        let project = try TestProject(files)
        defer { project.remove() }
        for file in try FileManager.default.contentsOfDirectory(atPath: caseFolder.path) where file != "attendu.txt" {
            if file.hasSuffix(".absent") {
                let target = String(file.dropLast(".absent".count))
                files[target] = nil
                try? FileManager.default.removeItem(at: project.root.appendingPathComponent(target))
            } else {
                let bytes = try Data(contentsOf: caseFolder.appendingPathComponent(file))
                try project.write(file, bytes: [UInt8](bytes))
            }
        }
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try ProjectLoader(folder: ProjectFolder(project.path, displayPath: "projet")).load().warnings
        } catch {
            diagnostics = error.diagnostics
        }
        return diagnostics.map(\.description).joined(separator: "\n") + "\n"
    }
}

@Suite struct BadInputTests {
    @Test(arguments: BadInputCorpus.cases)
    func messagesAndLocations(name: String) throws {
        let actual = try BadInputCorpus.messages(name)
        let expected = BadInputCorpus.folder.appendingPathComponent("\(name)/attendu.txt")
        if let diff = goldenMismatch(Array(actual.utf8), golden: expected) {
            Issue.record(Comment(rawValue: diff))
        }
        #expect(actual.contains("projet/"), "every message names its file")
    }

    @Test func theCorpusCoversEveryKind() {
        #expect(BadInputCorpus.cases.count >= 25)
    }
}
