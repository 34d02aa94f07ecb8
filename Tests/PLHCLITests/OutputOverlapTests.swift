import Foundation
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHCLI

@Suite struct OutputOverlapTests {
    /// Every file under `folder`, relative, sorted.
    func files(_ folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
    }

    /// Issue 11, defect 13: `render o1 --output .` from the parent folder exited 0 and left `o1/` holding only the
    /// bilan: the project's files were gone. Every output that is, contains or lies inside the project is refused.
    @Test func anOutputOverlappingTheProjectIsRefused() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let parent = project.root.deletingLastPathComponent()
        let before = files(parent)
        for (arguments, directory) in [
            (["render", "projet", "--output", "."], parent),
            (["render", ".", "--output", ".."], project.root),
            (["render", "projet", "--output", "projet/.."], parent),
            (["render", "projet", "--output", "projet/sortie"], parent),
            (["package", "projet", "--output", "projet"], parent),
        ] {
            let (code, output) = try runTool(arguments, in: directory, environment: [:])
            #expect(code == 2, "\(arguments): \(output)")
            #expect(output.contains("--output : la sortie") && output.contains("rien n'a été écrit"), "\(arguments): \(output)")
            #expect(files(parent) == before, "\(arguments)")
        }
        // The project's folder, reached through a link, is the same folder.
        let link = parent.appendingPathComponent("lien")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: parent)
        let linked = run(["render", project.path, "--output", link.path])
        #expect(linked.code == 2)
        #expect(linked.err.contains("est le dossier du projet"), "\(linked.err)")
        // An output that contains the project under another name: x/x rendered into . would replace x.
        let nested = parent.appendingPathComponent("x/x")
        try FileManager.default.createDirectory(at: nested.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: project.root, to: nested)
        let containing = run(["render", nested.path, "--output", parent.path])
        #expect(containing.code == 2)
        #expect(containing.err.contains("contient le dossier du projet"), "\(containing.err)")
        #expect(FileManager.default.fileExists(atPath: nested.appendingPathComponent("plh.yaml").path))
        // Beside the project is fine.
        #expect(run(["render", nested.path, "--output", parent.appendingPathComponent("sortie").path]).code == 0)
    }
}

@Suite struct ConcurrentRenderTests {
    /// Issue 11, defect 14: two `render k1 --output cc` at once removed each other's staging folder; both exited 0
    /// with an annex missing, or one failed. Processes now keep each other's folders: both succeed, nothing is missing.
    @Test func twoRendersAtOnceBothWriteEverything() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let tool = try #require(builtTool())
        for trial in 0..<10 {
            let processes = (0..<2).map { _ -> Process in
                let process = Process()
                process.executableURL = tool
                process.arguments = ["render", project.path, "--output", work.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for p in processes { try p.run() }
            for p in processes { p.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == [0, 0], "trial \(trial)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["projet"], "trial \(trial)")
            let annexes = try FileManager.default.contentsOfDirectory(atPath: work.path + "/projet/annexes")
            #expect(annexes.contains("production-communes.csv") && annexes.count >= 3, "trial \(trial): \(annexes)")
        }
    }
}
