import Foundation
import Testing
@testable import PLHCLI

/// `plh-bilan backup` (issue 12): its options, and a folder that holds no database.
@Suite struct BackupCommandTests {
    func run(_ arguments: [String]) -> (Int32, String) {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let tool = CommandLineTool(standardOutput: { lines.all.append($0) }, standardError: { lines.all.append($0) })
        return (tool.run(arguments), lines.all.joined(separator: "\n"))
    }

    @Test func helpNamesTheOptions() {
        let (code, text) = run(["backup", "--help"])
        #expect(code == 0)
        for option in ["--data DOSSIER", "FICHIER", "--remplacer", "décompressez l'archive"] { #expect(text.contains(option)) }
    }

    @Test func missingArchiveNameIsAUsageError() {
        #expect(run(["backup", "--data", "/tmp"]).0 == 2)
    }

    @Test func folderWithoutDatabaseWritesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plh-vide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("s.zip").path
        let (code, text) = run(["backup", "--data", folder.path, archive])
        #expect(code == 4)
        #expect(text.contains("aucune base plh-bilan.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: archive))
    }
}
