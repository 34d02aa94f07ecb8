import Foundation
import HTTPTypes
import HummingbirdTesting
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHServer

/// Issue 12, point 4: editing in forms; every save is a version checked by the engine, errors go next to their cell.
@Suite struct EditTests {
    /// The CALL's project, its officer and a reader of the same EPCI.
    static func project(_ client: any TestClientProtocol, _ notices: Notices) async throws -> (String, Browser, Browser) {
        var admin = try await Scenario.setUp(client, notices)
        let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
        var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
        let reader = try await Scenario.invite(&admin, organisation: lens, role: .lecteur, name: "Chloé", email: "c@lens.fr")
        let id = try await Scenario.createProject(&officer)
        return (id, officer, reader)
    }

    static func load(_ server: TestServer, _ id: String, version: Int) throws -> LoadedProject {
        try ProjectLoader(folder: ProjectFolder(server.folder.appendingPathComponent("projets/\(id)/\(version)").path, displayPath: ".")).load()
    }

    /// The `<select>` or `<input>` of a field, as the page renders it.
    static func control(_ html: String, _ name: String) -> String? {
        guard let range = html.range(of: #"<(input|select) id="champ-\#(name)"[^>]*>"#, options: .regularExpression) else { return nil }
        return String(html[range])
    }

    @Test func everyCommuneGetsACategory() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (id, officer, reader) = try await Self.project(client, notices)
            let uri = "/projets/\(id)/categories"
            let page = try await officer.get(uri).text
            #expect(page.contains(#"name="categorie_62498""#) && page.contains(#"name="code_1""#))
            let codes = try Self.load(server, id, version: 1).project.communes.map(\.code)
            #expect(codes.count == 36)
            // A second category, declared in the plan from the same page.
            let declared = [("code_0", "toutes"), ("libelle_0", "Toutes les communes"), ("description_0", "")]
            let added = try await officer.submit(uri, [("version", "1")] + declared + [("code_1", "pole"), ("libelle_1", "Pôle urbain")])
            #expect(added.status == .ok, "\(added.text)")
            #expect(try Self.load(server, id, version: 2).project.categories.map(\.code) == ["toutes", "pole"])

            // Every commune gets a category: half of them the new one.
            var fields = codes.enumerated().map { ("categorie_" + $0.element, $0.offset % 2 == 0 ? "pole" : "toutes") }
            let saved = try await officer.submit(uri, [("version", "2")] + fields)
            #expect(saved.status == .ok, "\(saved.text)")
            let communes = try Self.load(server, id, version: 3).project.communes
            #expect(communes.count == 36)
            for (offset, code) in codes.enumerated() {
                #expect(communes.first { $0.code == code }?.category == (offset % 2 == 0 ? "pole" : "toutes"))
            }

            // An undeclared category: refused, shown next to its commune, kept, nothing saved.
            fields[3].1 = "pole_inconnu"
            let refused = try await officer.submit(uri, [("version", "3")] + fields)
            #expect(refused.status == .unprocessableContent)
            let control = try #require(Self.control(refused.text, "categorie_" + codes[3]))
            #expect(control.contains(#"aria-invalid="true""#))
            #expect(control.contains(#"aria-describedby="erreur-categorie_\#(codes[3])""#))
            #expect(refused.text.contains(#"id="erreur-categorie_\#(codes[3])""#))
            #expect(refused.text.contains(#"<option value="pole_inconnu" selected>"#))
            #expect(refused.text.contains(##"href="#champ-categorie_\##(codes[3])""##))
            // Removing a category still used by communes: the engine refuses it too.
            let removal = try await officer.submit(uri, [("version", "3"), ("code_0", "toutes"), ("libelle_0", "Toutes"),
                                                         ("code_1", "pole"), ("libelle_1", "Pôle urbain"), ("supprimer_1", "oui")])
            #expect(removal.status == .unprocessableContent)
            #expect(removal.text.contains("non déclarée dans plh.yaml"))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/4").path))
            #expect(try await reader.submit(uri, [("version", "3")] + fields).status == .forbidden)
        }
    }

    @Test func productionCellsAreEditedAndErrorsStayNextToThem() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (id, officer, reader) = try await Self.project(client, notices)
            let uri = "/projets/\(id)/production"
            #expect(try await officer.get(uri).text.contains(#"name="nouvelle_logements_1""#))
            let added = try await officer.submit(uri, [
                ("version", "1"),
                ("nouvelle_code_insee_1", "62498"), ("nouvelle_annee_1", "2015"), ("nouvelle_segment_1", "locatif_social"), ("nouvelle_logements_1", "12"),
                ("nouvelle_code_insee_2", "62510"), ("nouvelle_annee_2", "2016"), ("nouvelle_segment_2", "libre"), ("nouvelle_logements_2", "30"),
            ])
            #expect(added.status == .ok, "\(added.text)")
            let loaded = try Self.load(server, id, version: 2)
            #expect(loaded.project.production.map(\.dwellings).sorted() == [12, 30])
            #expect(added.text.contains(#"name="logements_3" type="text" value="30""#))

            // An invalid cell: 422, the error next to it, the typed value kept, no new version.
            let bad = try await officer.submit(uri, [("version", "2"), ("logements_2", "12"), ("logements_3", "abc")])
            #expect(bad.status == .unprocessableContent)
            let control = try #require(Self.control(bad.text, "logements_3"))
            #expect(control.contains(#"aria-invalid="true""#) && control.contains(#"value="abc""#))
            #expect(bad.text.contains(#"id="erreur-logements_3""#))
            #expect(!(Self.control(bad.text, "logements_2") ?? "").contains("aria-invalid"))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/3").path))

            // A stale version: 409, the typed values kept.
            let stale = try await officer.submit(uri, [("version", "1"), ("logements_3", "31")])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains(#"value="31""#))
            #expect(stale.text.contains("Quelqu'un a enregistré ce projet"))

            // Deleting a row and changing another.
            let changed = try await officer.submit(uri, [("version", "2"), ("supprimer_2", "oui"), ("logements_3", "31")])
            #expect(changed.status == .ok)
            #expect(try Self.load(server, id, version: 3).project.production.map(\.dwellings) == [31])

            // A reader sees the page but cannot save.
            #expect(try await reader.get(uri).status == .ok)
            #expect(try await reader.submit(uri, [("version", "3"), ("logements_2", "1")]).status == .forbidden)
        }
    }

    @Test func thePlanIsEditedInFields() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (id, officer, _) = try await Self.project(client, notices)
            let uri = "/projets/\(id)/plan"
            let page = try await officer.get(uri).text
            #expect(page.contains(#"name="derniere_annee""#) && page.contains(#"name="jalon_date_0""#))
            let bad = try await officer.submit(uri, [("version", "1"), ("date", "2017-13-45"), ("nom", "PLH : 2014-2020")])
            #expect(bad.status == .unprocessableContent)
            #expect(try #require(Self.control(bad.text, "date")).contains(#"aria-invalid="true""#))
            #expect(bad.text.contains(#"value="2017-13-45""#))
            let saved = try await officer.submit(uri, [("version", "1"), ("sigle", "CALL"), ("nom", "PLH : 2014-2020"),
                                                       ("jalon_date_0", "2014-12-15"), ("jalon_libelle_0", "Adoption du PLH")])
            #expect(saved.status == .ok, "\(saved.text)")
            let project = try Self.load(server, id, version: 2).project
            #expect(project.epci.shortName == "CALL")
            #expect(project.epci.siren == "246200364")
            #expect(project.plan.name == "PLH : 2014-2020")
            #expect(project.milestones.map(\.label) == ["Adoption du PLH"])
            let history = try await officer.get("/projets/\(id)/historique").text
            #expect(history.contains("Plan et bilan"))
        }
    }

    /// Segments: one renamed, one removed, two added in one save; `sitadel:` stays with its code; a segment still
    /// used cannot go (the engine's error goes to its row) and nothing is saved.
    @Test func segmentsAreEditedWithoutLosingTheirSitadelKey() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (id, officer, _) = try await Self.project(client, notices)
            let uri = "/projets/\(id)/segments"
            let page = try await officer.get(uri).text
            #expect(page.contains(#"name="segment_code_3""#) && page.contains(#"value="accession_sociale""#))
            let saved = try await officer.submit(uri, [("version", "1"),
                ("segment_code_0", "locatif_social"), ("segment_libelle_0", "Locatif social (PLUS, PLS)"), ("segment_famille_0", "locatif social"),
                ("segment_code_1", "accession_sociale"), ("segment_libelle_1", "Accession sociale"), ("segment_famille_1", "accession"),
                ("segment_code_2", "libre"), ("segment_libelle_2", "Libre"), ("segment_supprimer_2", "oui"),
                ("segment_code_3", "plai"), ("segment_libelle_3", "Locatif social PLAI"), ("segment_famille_3", "locatif social"),
                ("segment_code_4", "locatif_prive"), ("segment_libelle_4", "Locatif privé"), ("segment_famille_4", "locatif privé")])
            #expect(saved.status == .ok, "\(saved.text)")
            let loaded = try Self.load(server, id, version: 2)
            #expect(loaded.project.segments.map(\.code) == ["locatif_social", "accession_sociale", "plai", "locatif_prive"])
            #expect(loaded.project.segments[0].label == "Locatif social (PLUS, PLS)")
            #expect(loaded.project.segments[0].sitadel != nil && loaded.project.segments[2].sitadel == nil)
            // An undeclared family is the engine's to judge; an empty code is refused next to its cell.
            let refused = try await officer.submit(uri, [("version", "2"), ("segment_code_0", ""), ("segment_libelle_0", "Sans code")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"value="Sans code""#))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/3").path))
        }
    }

    /// The objectives grid of the CALL: values shown per category and segment, one changed and saved, a negative one
    /// refused next to its cell with the typed values kept.
    @Test func theObjectivesGridIsTypedInTheBrowser() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (_, officer, id) = try await Scenario.callOfficer(client, notices)
            let uri = "/projets/\(id)/objectifs"
            let page = try await officer.get(uri).text
            let cell = try #require(Self.control(page, "objectif_categorie_poles_urbains_majeurs_plai"))
            #expect(cell.contains(#"value="50""#))
            // Every cell as shown, one changed.
            var fields: [(String, String)] = [("version", "1")]
            for (pattern, fixed) in [(#"name="(objectif_categorie_[a-z_]+)"[^>]*value="([^"]*)""#, nil),
                                     (#"name="(periode_categorie_[a-z_]+)""#, "an")] {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: page, range: NSRange(page.startIndex..., in: page)) {
                    let name = String(page[Range(match.range(at: 1), in: page)!])
                    let value = fixed ?? String(page[Range(match.range(at: 2), in: page)!])
                    fields.append((name, name == "objectif_categorie_poles_urbains_majeurs_plai" ? "65" : value))
                }
            }
            #expect(fields.count > 20)
            let saved = try await officer.submit(uri, fields)
            #expect(saved.status == .ok, "\(saved.plain)")
            let loaded = try BilanEngine.load(server.folder.appendingPathComponent("projets/\(id)/2"))
            let original = try BilanEngine.load(URL(fileURLWithPath: TestProject.callExample))
            #expect(loaded.project.objectives.count == original.project.objectives.count)
            #expect(loaded.project.objectives != original.project.objectives)
            let refused = try await officer.submit(uri, fields.map { $0.0 == "version" ? ("version", "2") : $0.0 == "objectif_categorie_poles_urbains_majeurs_plai" ? ($0.0, "-5") : $0 })
            #expect(refused.status == .unprocessableContent)
            let bad = try #require(Self.control(refused.text, "objectif_categorie_poles_urbains_majeurs_plai"))
            #expect(bad.contains(#"aria-invalid="true""#) && bad.contains(#"value="-5""#))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/3").path))
            // The communes' grid: an objective for Lens, kept beside the categories'.
            let communes = try await officer.get(uri + "?communes=oui").text
            #expect(communes.contains(#"name="objectif_commune_62498_plai""#) && communes.contains(#"name="grille_communes""#))
            let withCommune = fields.map { $0.0 == "version" ? ("version", "2") : $0 } + [("grille_communes", "oui"),
                ("objectif_commune_62498_plai", "12"), ("periode_commune_62498", "plan")]
            // PLAI has category objectives: the engine refuses a commune's too, and says so next to Lens's cell.
            let mixed = try await officer.submit(uri, withCommune)
            #expect(mixed.status == .unprocessableContent)
            let lens = try #require(Self.control(mixed.text, "objectif_commune_62498_plai"))
            #expect(lens.contains(#"aria-invalid="true""#) && lens.contains(#"value="12""#))
            #expect(mixed.plain.contains("à la fois par catégorie et par commune"))
            // PLAI set commune by commune instead: the categories' PLAI cells emptied, Lens's kept.
            let byCommune = withCommune.map { $0.0.hasPrefix("objectif_categorie_") && $0.0.hasSuffix("_plai") ? ($0.0, "") : $0 }
            let savedCommune = try await officer.submit(uri, byCommune)
            #expect(savedCommune.status == .ok, "\(savedCommune.plain)")
            let three = try BilanEngine.load(server.folder.appendingPathComponent("projets/\(id)/3"))
            #expect(three.project.objectives.count == original.project.objectives.count - 4 + 1)
            #expect(try await officer.get(uri).text.contains(#"name="objectif_commune_62498_plai""#))
        }
    }

    /// Constats: a rule turned off and a finding rewritten in the form land in `constats:` and in the bilan.
    @Test func findingsAreTurnedOffAndRewritten() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (_, officer, id) = try await Scenario.callOfficer(client, notices)
            let uri = "/projets/\(id)/constats"
            let page = try await officer.get(uri).text
            #expect(page.contains("avancement/EPCI") && page.contains(#"name="desactiver_classement""#))
            let ids = try NSRegularExpression(pattern: #"<td>([a-z]+/[A-Za-z_]+(?:/[a-z_]+)?)</td>"#)
                .matches(in: page, range: NSRange(page.startIndex..., in: page)).map { String(page[Range($0.range(at: 1), in: page)!]) }
            let index = try #require(ids.firstIndex(of: "avancement/EPCI"))
            let saved = try await officer.submit(uri, [("version", "1"), ("desactiver_classement", "oui"),
                                                       ("texte_\(index)", "La production reste en deçà de l'objectif du PLH.")])
            #expect(saved.status == .ok, "\(saved.plain)")
            let loaded = try BilanEngine.load(server.folder.appendingPathComponent("projets/\(id)/2"))
            #expect(loaded.project.findingSettings.disabled == [.classement])
            #expect(loaded.project.findingSettings.texts["avancement/EPCI"] == "La production reste en deçà de l'objectif du PLH.")
            let bilan = try await officer.get("/projets/\(id)/apercu").plain
            #expect(bilan.contains("La production reste en deçà de l’objectif du PLH."), "typographic apostrophe in the bilan")
        }
    }
}
