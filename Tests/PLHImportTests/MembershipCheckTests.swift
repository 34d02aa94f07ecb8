import Foundation
import PLHTestSupport
import Testing
@testable import PLHImport
@testable import PLHLoad

/// Issue 11, defect 11: `communes.csv` is compared with the DGCL list shipped with the tool.
@Suite struct MembershipCheckTests {
    func call(changing communes: (String) -> String) throws -> [String] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-membres-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("call")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: TestProject.callExample), to: copy)
        let file = copy.appendingPathComponent("communes.csv")
        try Data(communes(try String(contentsOf: file, encoding: .utf8)).utf8).write(to: file)
        // The commune a test leaves out has no production either.
        let production = copy.appendingPathComponent("production.csv")
        let rows = try String(contentsOf: production, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try Data(rows.filter { !$0.hasPrefix("62001;") }.joined(separator: "\n").utf8).write(to: production)
        let loaded = try ProjectLoader(folder: ProjectFolder(copy.path, displayPath: "p")).load()
        return try MembershipCheck().warnings(for: loaded.project, communesFile: "p/communes.csv").map(\.message)
    }

    @Test func theCALLMatchesTheList() throws {
        #expect(try call { $0 } == [])
    }

    @Test func aMissingMemberAndAStrangerAreNamed() throws {
        let warnings = try call { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("62001;") }.joined(separator: "\n") + "59350;Lille;234475;communes_residentielles\n"
        }
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("une commune membre de l'EPCI manque au fichier des communes") == true)
        #expect(warnings.first?.hasSuffix(": Ablain-Saint-Nazaire (62001)") == true)
        #expect(warnings.last?.contains("Lille (59350, membre de Métropole Européenne de Lille)") == true, "\(warnings)")
    }
}
