import Foundation
import HTTPTypes
import HummingbirdTesting
import PLHBilan
import Testing
import ZIPFoundation
@testable import PLHServer

/// Issue 12, point 7: the bilan's downloads, the submission archive identical to the command line's.
@Suite struct DownloadTests {
    @Test func theSubmissionArchiveIsTheCommandLinesAndVerifies() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (officer, id) = try await NarrativeTests.officer(client, notices, server)
            let page = try await officer.get("/projets/\(id)/telechargements")
            #expect(page.status == .ok)
            for name in ["bilan.html", "annexes.zip", "depot.zip"] {
                #expect(page.text.contains(#"href="/projets/\#(id)/telechargements/\#(name)""#))
            }
            let download = try await officer.get("/projets/\(id)/telechargements/depot.zip")
            #expect(download.status == .ok, "\(download.text)")
            #expect(download.headers[.contentType] == "application/zip")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="bilan-triennal-2014-2020-ca-de-lens-lievin-depot.zip""#)
            let bytes = Data(buffer: download.body)
            // The library's package of the same folder, with the same settings, as `plh-bilan package` writes it.
            let folder = server.folder.appendingPathComponent("projets/\(id)/1")
            let output = server.folder.appendingPathComponent("cli")
            let result = try BilanGenerator(projectFolder: folder.path, settings: server.configuration.settings).package(into: output.path)
            let expected = try Data(contentsOf: URL(fileURLWithPath: result.archive))
            #expect(bytes == expected)
            #expect(SHA256.hex([UInt8](bytes)) == result.sha256)
            let report = ArchiveVerifier().verify(data: bytes)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.checkedFiles > 5)
        }
    }

    @Test func anIncompleteBilanIsPackagedOnlyAsADraft() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            let id = try await Scenario.createProject(&officer)
            let page = try await officer.get("/projets/\(id)/telechargements").text
            #expect(page.contains("Bilan incomplet"))
            #expect(page.contains("/projets/\(id)/telechargements/depot.zip?brouillon=oui"))
            let refused = try await officer.get("/projets/\(id)/telechargements/depot.zip")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("bilan incomplet"))
            let draft = try await officer.get("/projets/\(id)/telechargements/depot.zip?brouillon=oui")
            #expect(draft.status == .ok)
            #expect(draft.headers[.contentDisposition]?.contains("-brouillon-depot.zip") == true)
            let bytes = Data(buffer: draft.body)
            #expect(ArchiveVerifier().verify(data: bytes).isValid)
            let archive = try Archive(data: bytes, accessMode: .read)
            let manifest = try #require(archive["manifest.json"])
            var json = Data()
            _ = try archive.extract(manifest) { json.append($0) }
            #expect(String(decoding: json, as: UTF8.self).contains("a_completer"))
        }
    }

    @Test func theBilanAndItsAnnexes() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (officer, id) = try await NarrativeTests.officer(client, notices, server)
            let html = try await officer.get("/projets/\(id)/telechargements/bilan.html")
            #expect(html.status == .ok)
            #expect(html.text.hasPrefix("<!DOCTYPE html>"))
            #expect(html.headers[.contentDisposition] == #"attachment; filename="bilan-triennal-2014-2020-ca-de-lens-lievin.html""#)
            #expect(html.headers[HTTPField.Name("Content-Security-Policy")!] == BilanEngine.bilanPolicy)
            let folder = server.folder.appendingPathComponent("projets/\(id)/1")
            let bilan = try BilanEngine.render(folder, settings: RunSettings())
            #expect(html.text == bilan.html)
            let annexes = try await officer.get("/projets/\(id)/telechargements/annexes.zip")
            #expect(annexes.status == .ok)
            let archive = try Archive(data: Data(buffer: annexes.body), accessMode: .read)
            #expect(archive.map(\.path).sorted() == bilan.annexes.map(\.path).sorted())
            #expect(!bilan.annexes.isEmpty)
        }
    }

    @Test func withoutChromiumThePDFSaysHowToInstallIt() async throws {
        let server = try TestServer(settings: RunSettings(chromium: "/nonexistent/chromium"))
        try await server.run { client, notices in
            var (officer, id) = try await NarrativeTests.officer(client, notices, server)
            let page = try await officer.get("/projets/\(id)/telechargements").text
            #expect(page.contains("apt install chromium"))
            #expect(!page.contains("/telechargements/bilan.pdf"))
            let pdf = try await officer.get("/projets/\(id)/telechargements/bilan.pdf")
            #expect(pdf.status == .serviceUnavailable)
            #expect(pdf.text.contains("apt install chromium"))
        }
    }
}
