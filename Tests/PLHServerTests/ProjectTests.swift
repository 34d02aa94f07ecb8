import Foundation
import HTTPTypes
import HummingbirdTesting
import PLHBilan
import Testing
import ZIPFoundation
@testable import PLHServer

/// Projects: creation from the DGCL list, summary, preview, download, and the perimeter on every route.
@Suite struct ProjectTests {
    /// Issue 12: « Nouveau bilan » makes what `init` makes for the CALL (36 communes), with the form's choices.
    @Test func newBilanForTheCALL() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "bruno@agglo-lenslievin.fr")
            let form = try await officer.get("/projets/nouveau").text
            #expect(form.contains("CA de Lens - Liévin"))
            #expect(form.contains(#"<label for="champ-stade">"#))
            let id = try await Scenario.createProject(&officer)

            let page = try await officer.get("/projets/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("36 communes"))
            #expect(page.text.contains("Bilan triennal du 31"))
            #expect(try await officer.get("/projets").text.contains("/projets/\(id)"))

            // The folder is the CLI's: it loads with the library, with the form's choices.
            let loaded = try ProjectLoader(folder: ProjectFolder(server.folder.appendingPathComponent("projets/\(id)/1").path, displayPath: ".")).load()
            #expect(loaded.project.communes.count == 36)
            #expect(loaded.project.plan.years == 2014...2020)
            #expect(loaded.project.bilan.date == CalendarDate(year: 2017, month: 12, day: 31))
            #expect(loaded.project.bilan.kind == .triennal)

            let history = try await officer.get("/projets/\(id)/historique").text
            #expect(history.contains("Création du bilan"))
            #expect(history.contains("Bruno"))
            #expect(history.contains("1 (actuelle)"))

            let preview = try await officer.get("/projets/\(id)/apercu")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<!DOCTYPE html>"))
            #expect(preview.headers[HTTPField.Name("Content-Security-Policy")!] == BilanEngine.bilanPolicy)

            let download = try await officer.get("/projets/\(id)/telecharger")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            let archive = try Archive(data: Data(buffer: download.body), accessMode: .read)
            let names = archive.map(\.path)
            let root = "bilan-triennal-2014-2020-ca-de-lens-lievin"
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"\(root).zip\"")
            #expect(names.contains("\(root)/plh.yaml"))
            #expect(names.contains("\(root)/communes.csv"))
            // Unpacked, the folder is a project the command line reads.
            let unpacked = server.folder.appendingPathComponent("telechargement")
            try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
            for entry in archive where entry.type == .file {
                _ = try archive.extract(entry, to: unpacked.appendingPathComponent(entry.path))
            }
            let reloaded = try ProjectLoader(folder: ProjectFolder(unpacked.appendingPathComponent(root).path, displayPath: ".")).load()
            #expect(reloaded.project == loaded.project)
        }
    }

    /// The form keeps what was typed; the engine's refusal (a bilan dated before the plan) is shown, nothing is created.
    @Test func newBilanErrorsKeepTheForm() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .administrateur, name: "Bruno", email: "b@lens.fr")
            let bad = try await officer.submit("/projets", [("type", "triennal"), ("date", "31/02/2019"), ("premiere_annee", "2020"),
                                                            ("derniere_annee", "2014"), ("stade", "autorises")], from: "/projets/nouveau")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"id="erreur-date""#) && bad.text.contains(#"value="31/02/2019""#))
            #expect(bad.text.contains("la dernière année précède la première"))
            let refused = try await officer.submit("/projets", [("type", "triennal"), ("date", "2010-01-01"), ("premiere_annee", "2014"),
                                                                ("derniere_annee", "2020"), ("stade", "autorises")], from: "/projets/nouveau")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Le projet n'a pas pu être créé"))
            #expect(try await officer.get("/projets").text.contains("Aucun bilan"))
        }
    }

    /// Readers and organisations that are not EPCIs cannot create a bilan.
    @Test func onlyContributorsOfAnEPCICreate() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            #expect(try await admin.get("/projets/nouveau").status == .forbidden)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var reader = try await Scenario.invite(&admin, organisation: lens, role: .lecteur, name: "Chloé", email: "c@lens.fr")
            #expect(try await reader.get("/projets/nouveau").status == .forbidden)
            #expect(try await reader.get("/organisation").status == .forbidden)
        }
    }

    /// Issue 12: every route that takes a project answers 404 to a user of another EPCI, as for an unknown project;
    /// the routes are enumerated from the controllers' lists, so a new one cannot skip the check.
    @Test func everyProjectRouteIsClosedToAnotherEPCI() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            let reims = try await Scenario.createEPCI(&admin, siren: "200067213")
            var owner = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            var stranger = try await Scenario.invite(&admin, organisation: reims, role: .administrateur, name: "Denis", email: "d@reims.fr")
            let id = try await Scenario.createProject(&owner)

            let projectRoutes = allRoutes.filter { $0.path.contains(":project") }
            #expect(projectRoutes.count >= 3)
            #expect(!allRoutes.contains { $0.path.contains("/projets/") && !$0.path.contains(":project") && !["/projets/nouveau", "/projets/importer"].contains($0.path) })
            /// The route's path for a project, its other parameters (a version number…) set to 1.
            func path(_ route: Route, _ project: String) -> String {
                route.path.replacingOccurrences(of: ":project", with: project)
                    .replacingOccurrences(of: #":[a-z]+"#, with: "1", options: .regularExpression)
            }
            for route in projectRoutes {
                for (project, expected) in [(id, HTTPResponse.Status.notFound), ("0123456789abcdef", .notFound)] {
                    let uri = path(route, project)
                    let response = route.method == .get ? try await stranger.get(uri)
                        : try await stranger.submit(uri, [], from: "/projets")
                    #expect(response.status == expected, "\(route.method) \(uri)")
                    #expect(!response.text.contains("Lens"), "\(route.method) \(uri)")
                }
                // A pending import's token is the user's own: a made-up one is unknown to the owner too.
                if route.path.contains(":token") { continue }
                let uri = path(route, id)
                let own = route.method == .get ? try await owner.get(uri) : try await owner.submit(uri, [], from: "/projets")
                #expect(own.status != .notFound, "\(route.method) \(uri)")
            }
            #expect(try await !stranger.get("/projets").text.contains(id))
            // Without a session, every project route asks to sign in, whatever the project.
            var anonymous = Browser(client)
            for route in projectRoutes where route.method == .get {
                let response = try await anonymous.get(path(route, id))
                #expect(response.status == .unauthorized, "\(route.path)")
                #expect(!response.text.contains("Lens"))
            }
        }
    }
}
