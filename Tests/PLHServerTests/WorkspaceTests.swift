import Foundation
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHServer

/// Issue 12: every save keeps the previous version; a save on a replaced version, or one the engine refuses, writes nothing.
@Suite struct WorkspaceTests {
    /// A workspace over an in-memory database, with one user, and the mini project created as version 1.
    struct Fixture {
        let root: URL
        let store: SQLiteStore
        let workspace: ProjectWorkspace
        let user: User
        let record: ProjectRecord

        static func make() async throws -> Fixture {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-espace-\(UUID().uuidString)")
            let store = try await SQLiteStore.open(path: nil)
            let organisation = try await store.createOrganisation(kind: .epci, name: "Essai", siren: "200000172")
            let user = try #require(try await store.createUser(email: "a@b.fr", name: "Anne", passwordHash: "x",
                                                                organisationID: organisation.id, role: .contributeur,
                                                                platformAdministrator: false))
            let workspace = ProjectWorkspace(root: root, store: store)
            let mini = try TestProject.mini()
            defer { mini.remove() }
            let source = mini.root
            let outcome = try await workspace.create(
                ProjectRecord(id: "p1", organisationID: organisation.id, name: "Essai", createdBy: user.id, created: Date()),
                user: user, summary: "Création") { folder in
                try FileManager.default.removeItem(at: folder)
                try FileManager.default.copyItem(at: source, to: folder)
            }
            guard case .saved(let record, _) = outcome else { Issue.record("création refusée : \(outcome)"); throw CancellationError() }
            return Fixture(root: root, store: store, workspace: workspace, user: user, record: record)
        }

        func text(_ version: Int, _ file: String) throws -> String {
            try String(contentsOf: workspace.folder("p1", version: version).appendingPathComponent(file), encoding: .utf8)
        }

        func remove() async throws {
            try await store.close()
            try? FileManager.default.removeItem(at: root)
        }
    }

    static func appendLine(_ file: String, _ line: String) -> @Sendable (URL) throws -> Void {
        { folder in
            let url = folder.appendingPathComponent(file)
            try (String(contentsOf: url, encoding: .utf8) + line + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
    }

    @Test func aSaveMakesTheNextVersionAndKeepsThePreviousOne() async throws {
        let f = try await Fixture.make()
        let before = try f.text(1, "production.csv")
        let outcome = try await f.workspace.save(f.record, base: 1, user: f.user, summary: "Production modifiée",
                                                 edit: Self.appendLine("production.csv", "2A004;2021;accession;7"))
        guard case .saved(let saved, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(saved.version == 2)
        #expect(try f.text(1, "production.csv") == before)
        #expect(try f.text(2, "production.csv").hasSuffix("2A004;2021;accession;7\n"))
        let versions = try await f.store.versions(projectID: "p1")
        #expect(versions.map(\.number) == [2, 1])
        #expect(versions[0].files == ["production.csv"])
        #expect(versions[0].summary == "Production modifiée")
        // An unchanged file is shared with the previous version, not copied.
        let inode = { (v: Int) in
            try FileManager.default.attributesOfItem(atPath: f.workspace.folder("p1", version: v).appendingPathComponent("plh.yaml").path)[.systemFileNumber] as? Int
        }
        #expect(try inode(1) == inode(2))
        // No staging folder is left beside the versions.
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.root.appendingPathComponent("p1").path).sorted() == ["1", "2"])
        try await f.remove()
    }

    @Test func aSaveOnAReplacedVersionIsRefusedWithWhatChanged() async throws {
        let f = try await Fixture.make()
        _ = try await f.workspace.save(f.record, base: 1, user: f.user, summary: "Première modification",
                                       edit: Self.appendLine("production.csv", "2A004;2021;accession;7"))
        let outcome = try await f.workspace.save(f.record, base: 1, user: f.user, summary: "Seconde modification",
                                                 edit: Self.appendLine("production.csv", "2A004;2022;social;3"))
        guard case .stale(let current, let since) = outcome else { Issue.record("\(outcome)"); return }
        #expect(current.version == 2)
        #expect(since.map(\.summary) == ["Première modification"])
        #expect(try !f.text(2, "production.csv").contains("2022;social;3"))
        #expect(!FileManager.default.fileExists(atPath: f.workspace.folder("p1", version: 3).path))
        try await f.remove()
    }

    @Test func aChangeTheEngineRefusesWritesNothing() async throws {
        let f = try await Fixture.make()
        let outcome = try await f.workspace.save(f.record, base: 1, user: f.user, summary: "Erreur",
                                                 edit: Self.appendLine("production.csv", "2A004;2021;inconnu;7"))
        guard case .invalid(let error) = outcome else { Issue.record("\(outcome)"); return }
        #expect(error.diagnostics.contains { $0.description.contains("production.csv") })
        #expect(try await f.store.versions(projectID: "p1").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.root.appendingPathComponent("p1").path) == ["1"])
        try await f.remove()
    }

    @Test func restoringIsANewVersionWithTheOldFiles() async throws {
        let f = try await Fixture.make()
        guard case .saved(let second, _) = try await f.workspace.save(f.record, base: 1, user: f.user, summary: "Ajout",
                                                                       edit: Self.appendLine("production.csv", "2A004;2021;accession;7"))
        else { Issue.record("save"); return }
        let outcome = try await f.workspace.restore(second, number: 1, base: 2, user: f.user)
        guard case .saved(let third, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(third.version == 3)
        #expect(try f.text(3, "production.csv") == f.text(1, "production.csv"))
        #expect(try await f.store.versions(projectID: "p1").first?.summary == "Retour à la version 1")
        // Restoring what is already current saves nothing.
        guard case .unchanged = try await f.workspace.restore(third, number: 1, base: 3, user: f.user) else {
            Issue.record("unchanged"); return
        }
        try await f.remove()
    }
}
