import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import PLHServer

/// Issue 12: roles changed and members removed by the organisation's administrator, the audit page, the read-only
/// territory of a département, and projects a platform administrator creates for an EPCI.
@Suite struct AdminTests {
    /// Users are numbered in creation order: Alice (the platform administrator) is 1.
    @Test func roleChangeRemovalAndJournal() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            let reims = try await Scenario.createEPCI(&admin, siren: "200067213")
            var bruno = try await Scenario.invite(&admin, organisation: lens, role: .administrateur, name: "Bruno", email: "b@lens.fr")
            var chloe = try await Scenario.invite(&admin, organisation: lens, role: .lecteur, name: "Chloé", email: "c@lens.fr")
            var denis = try await Scenario.invite(&admin, organisation: reims, role: .administrateur, name: "Denis", email: "d@reims.fr")
            let (brunoID, chloeID) = (2, 3)

            let page = try await bruno.get("/organisation").text
            #expect(page.contains(#"action="/organisation/membres/\#(chloeID)/role""#))
            #expect(page.contains(#"aria-label="Nouveau rôle de Chloé""#))
            #expect(page.contains("/organisation/journal"))

            // Another organisation's administrator reaches no member of Lens; a reader changes nothing.
            #expect(try await denis.submit("/organisation/membres/\(chloeID)/role", [("role", "administrateur")], from: "/organisation")
                .status == .notFound)
            #expect(try await chloe.submit("/organisation/membres/\(chloeID)/role", [("role", "administrateur")], from: "/projets")
                .status == .forbidden)
            // Without the form's token, refused.
            #expect(try await bruno.post("/organisation/membres/\(chloeID)/role", [("role", "contributeur")], csrf: nil).status == .forbidden)

            let promoted = try await bruno.submit("/organisation/membres/\(chloeID)/role", [("role", "contributeur")], from: "/organisation")
            #expect(promoted.status == .seeOther)
            #expect(try await chloe.get("/projets/nouveau").status == .ok)

            // The last administrator can be neither demoted nor removed.
            let demoted = try await bruno.submit("/organisation/membres/\(brunoID)/role", [("role", "lecteur")], from: "/organisation")
            #expect(demoted.status == .conflict)
            #expect(demoted.plain.contains("dernier administrateur"))
            #expect(try await bruno.submit("/organisation/membres/\(brunoID)/retrait", [], from: "/organisation").status == .conflict)
            #expect(try await bruno.get("/organisation").plain.contains("Administrateur de l'organisation"))

            let removed = try await bruno.submit("/organisation/membres/\(chloeID)/retrait", [], from: "/organisation")
            #expect(removed.status == .seeOther)
            #expect(try await chloe.get("/projets").status == .unauthorized)
            var again = Browser(client)
            #expect(try await again.submit("/connexion", [("email", "c@lens.fr"), ("mot_de_passe", Scenario.password)]).status == .unauthorized)
            #expect(try await !bruno.get("/organisation").plain.contains("c@lens.fr"))
            #expect(try await bruno.submit("/organisation/membres/\(chloeID)/retrait", [], from: "/organisation").status == .notFound)

            let journal = try await bruno.get("/organisation/journal")
            #expect(journal.status == .ok)
            #expect(journal.plain.contains("Changement de rôle") && journal.plain.contains("Retrait d'un utilisateur"))
            #expect(journal.plain.contains("« Lecteur » devient « Contributeur »"))
            // Newest first: the removal before the role change.
            let text = journal.plain
            #expect(try #require(text.range(of: "Retrait d'un utilisateur")).lowerBound < #require(text.range(of: "Changement de rôle")).lowerBound)
            // Reims' administrator sees Reims' journal even when asking for Lens'; the platform administrator picks.
            #expect(try await !denis.get("/organisation/journal?organisation=\(lens)").plain.contains("Chloé"))
            #expect(try await admin.get("/organisation/journal?organisation=\(lens)").plain.contains("Chloé"))
            #expect(try await admin.get("/organisation/journal?organisation=\(lens)&page=2").plain.contains("Aucune entrée"))
        }
    }

    /// A département reads the projects of the EPCIs of its territory, changes none, and reaches no other.
    @Test func departementReadsItsTerritoryOnly() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            let reims = try await Scenario.createEPCI(&admin, siren: "200067213")
            let bad = try await admin.submit("/organisations", [("type_organisation", "departement"), ("nom_organisation", "Pas-de-Calais"),
                                                                ("siren", ""), ("territoire", "999")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"id="erreur-territoire""#) && bad.text.contains(#"value="999""#))
            let created = try await admin.submit("/organisations", [("type_organisation", "departement"),
                                                                    ("nom_organisation", "Département du Pas-de-Calais"),
                                                                    ("siren", ""), ("territoire", "62")])
            #expect(created.status == .seeOther)
            let departement = 4
            var lensOfficer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            var reimsOfficer = try await Scenario.invite(&admin, organisation: reims, role: .contributeur, name: "Denis", email: "d@reims.fr")
            var officer = try await Scenario.invite(&admin, organisation: departement, role: .contributeur, name: "Eve", email: "e@pasdecalais.fr")
            let lensProject = try await Scenario.createProject(&lensOfficer)
            let reimsProject = try await Scenario.createProject(&reimsOfficer)

            #expect(try await officer.get("/projets/\(lensProject)").status == .ok)
            #expect(try await officer.get("/projets/\(reimsProject)").status == .notFound)
            let list = try await officer.get("/projets").text
            #expect(list.contains(lensProject) && !list.contains(reimsProject))
            // Read-only: no restoring form, and a change is refused.
            #expect(try await !officer.get("/projets/\(lensProject)/historique").plain.contains("/restaurer"))
            let refused = try await officer.submit("/projets/\(lensProject)/historique/1/restaurer", [("version", "1")], from: "/projets")
            #expect(refused.status == .forbidden)
            // Every route that changes a project refuses a territory's reader, whatever the form (a made-up import
            // token is unknown to anyone: 404).
            // The narrative preview changes nothing: readers may use it.
            for route in allRoutes where route.method == .post && route.path.contains(":project") && !route.path.hasSuffix("/apercu") {
                let uri = route.path.replacingOccurrences(of: ":project", with: lensProject)
                    .replacingOccurrences(of: #":[a-z]+"#, with: "1", options: .regularExpression)
                let answer = try await officer.submit(uri, [("version", "1"), ("action", "enregistrer"), ("texte", "x")], from: "/projets")
                #expect(answer.status == (route.path.contains(":token") ? .notFound : .forbidden), "\(uri)")
            }
            #expect(try await officer.get("/projets/nouveau").status == .forbidden)
            #expect(try await admin.get("/organisations").plain.contains("<td>62</td>"))
        }
    }

    /// A platform administrator creates the project of the EPCI chosen in « Nouveau bilan »; the EPCI's users see it.
    @Test func platformAdministratorCreatesForAnEPCI() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            _ = try await Scenario.createEPCI(&admin, siren: "246200364")
            let reims = try await Scenario.createEPCI(&admin, siren: "200067213")
            var denis = try await Scenario.invite(&admin, organisation: reims, role: .lecteur, name: "Denis", email: "d@reims.fr")
            let form = try await admin.get("/projets/nouveau").text
            #expect(form.contains(#"<label for="champ-organisation">"#) && form.contains("CU du Grand Reims"))
            let response = try await admin.submit("/projets", [("organisation", String(reims)), ("type", "triennal"), ("date", "2017-12-31"),
                                                               ("premiere_annee", "2014"), ("derniere_annee", "2020"), ("stade", "autorises")],
                                                  from: "/projets/nouveau")
            #expect(response.status == .seeOther)
            let id = String(try #require(response.location).dropFirst("/projets/".count))
            let page = try await denis.get("/projets/\(id)")
            #expect(page.status == .ok)
            #expect(page.plain.contains("CU du Grand Reims"))
            #expect(try await admin.submit("/projets", [("organisation", "999"), ("type", "triennal")], from: "/projets/nouveau")
                .status == .notFound)
        }
    }
}
