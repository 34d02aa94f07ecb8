import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PLHBilan
import Testing
import ZIPFoundation
@testable import PLHServer

/// Issue 12: `plh-bilan backup` while the server runs, and a restore by unpacking into an empty data folder.
@Suite struct BackupTests {
    func configuration(_ folder: URL) -> ServerConfiguration {
        var configuration = ServerConfiguration(dataFolder: folder.path)
        configuration.passwordCost = 4
        return configuration
    }

    @Test func backupThenRestore() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-sauvegarde-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("donnees"), restored = root.appendingPathComponent("restauration")
        let archivePath = root.appendingPathComponent("sauvegarde.zip").path
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        final class Box: @unchecked Sendable { var id = "" }
        let box = Box()
        let notices = Notices()
        var live = configuration(data)
        live.notify = { notices.append($0) }
        let app = try await buildApplication(live)
        try await app.test(.router) { client in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            box.id = try await Scenario.createProject(&officer)
            // Taken while the server runs; a second one without --remplacer is refused, the first kept.
            let report = try await Backup.write(dataFolder: data.path, to: archivePath, replace: false)
            #expect(report.projects == 1 && report.versions == 1 && report.files > 2)
            await #expect(throws: Backup.Failure.self) {
                try await Backup.write(dataFolder: data.path, to: archivePath, replace: false)
            }
            #expect(try await Backup.write(dataFolder: data.path, to: archivePath, replace: true) == report)
        }
        let id = box.id
        let archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .read)
        let names = archive.map(\.path)
        #expect(names.contains("plh-bilan.sqlite"))
        #expect(names.contains("projets/\(id)/1/plh.yaml") && names.contains("projets/\(id)/1/communes.csv"))
        #expect(!names.contains { $0.contains(".en-cours-") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["donnees", "sauvegarde.zip"])

        // Restore: unpack into an empty folder, start a server on it; the project is there and loads.
        for entry in archive where entry.type == .file {
            _ = try archive.extract(entry, to: restored.appendingPathComponent(entry.path))
        }
        let store = try await SQLiteStore.open(path: restored.appendingPathComponent("plh-bilan.sqlite").path)
        #expect(try await store.project(id, visibleTo: Perimeter(organisationIDs: nil)) != nil)
        try await store.close()
        let again = try await buildApplication(configuration(restored))
        try await again.test(.router) { client in
            var officer = Browser(client)
            let signIn = try await officer.submit("/connexion", [("email", "b@lens.fr"), ("mot_de_passe", Scenario.password)])
            #expect(signIn.status == .seeOther)
            let page = try await officer.get("/projets/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("36 communes"))
        }
    }
}
