import Foundation
import HTTPTypes
import HummingbirdTesting
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHServer

/// Issue 12, point 6: the narratives' editor, its preview rendered by the engine, and its save.
@Suite struct NarrativeTests {
    /// The value the library gives a figure of the CALL example.
    static func figure(_ name: String) throws -> String {
        let loaded = try ProjectLoader(folder: ProjectFolder(TestProject.callExample, displayPath: ".")).load()
        let figures = ViewModel(project: loaded.project, achievement: Achievement(project: loaded.project)).figures
        return try #require(figures.names.first { $0.name == name }?.value)
    }

    /// The hidden `version` field of a page.
    static func version(_ html: String) throws -> String {
        let range = try #require(html.range(of: #"name="version" value="[0-9]+""#, options: .regularExpression))
        return String(html[range].dropFirst(#"name="version" value=""#.count).dropLast())
    }

    /// A contributor of the CALL with the example project; returns the browser, the project's id and the server.
    static func officer(_ client: any TestClientProtocol, _ notices: Notices, _ server: TestServer) async throws -> (Browser, String) {
        var admin = try await Scenario.setUp(client, notices)
        let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
        var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
        let id = try await Scenario.callProject(&officer, server)
        return (officer, id)
    }

    @Test func theListAndTheEditorShowTheNarrativesAndTheirFigures() async throws {
        let server = try TestServer()
        let rate = try Self.figure("EPCI.ensemble.taux_plan")
        try await server.run { client, notices in
            var (officer, id) = try await Self.officer(client, notices, server)
            let list = try await officer.get("/projets/\(id)/recits")
            #expect(list.status == .ok)
            #expect(list.text.contains("recits/o1-bilan-global.md"))
            #expect(list.text.contains(#"href="/projets/\#(id)/recits/8""#))
            #expect(list.text.contains("Pôles urbains majeurs"))
            #expect(try await officer.get("/projets/\(id)/recits/9").status == .notFound)
            #expect(try await officer.get("/projets/\(id)/recits/0").status == .notFound)

            let editor = try await officer.get("/projets/\(id)/recits/1")
            #expect(editor.status == .ok)
            #expect(editor.text.contains(#"<textarea id="champ-texte" name="texte""#))
            #expect(editor.text.contains(#"<label for="champ-texte">"#))
            #expect(editor.text.contains(#"<button type="submit" name="action" value="previsualiser""#))
            #expect(editor.text.contains(#"value="enregistrer""#))
            #expect(editor.text.contains("{{EPCI.ensemble.taux_plan}}"))
            #expect(editor.text.contains(rate))
            #expect(editor.text.contains(#"<script src="/static/recit.js""#))
            let csp = try #require(editor.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"))
            #expect(!editor.text.contains("<script>"))
            let script = try await officer.get("/static/recit.js")
            #expect(script.status == .ok && script.text.contains("data-apercu"))
        }
    }

    @Test func thePreviewShowsTheValueOfACitedFigure() async throws {
        let server = try TestServer()
        let rate = try Self.figure("EPCI.ensemble.taux_plan")
        try await server.run { client, notices in
            var (officer, id) = try await Self.officer(client, notices, server)
            let text = "Le taux de réalisation est de {{EPCI.ensemble.taux_plan}}.\n\n<b>gras</b>"
            // The script's request: the preview alone, as the engine renders it (safe mode: no raw HTML).
            let preview = try await officer.submit("/projets/\(id)/recits/1/apercu", [("texte", text)], from: "/projets/\(id)/recits/1")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Le taux de réalisation est de \(rate)."))
            #expect(!preview.text.contains("<b>"))
            #expect(!preview.text.contains("<html"))
            // Without JavaScript: the page again, the text kept, the preview below it.
            let page = try await officer.get("/projets/\(id)/recits/1").text
            let again = try await officer.submit("/projets/\(id)/recits/1", [("texte", text), ("action", "previsualiser"),
                                                                             ("version", try Self.version(page))],
                                                 from: "/projets/\(id)/recits/1")
            #expect(again.status == .ok)
            #expect(again.text.contains("Le taux de réalisation est de \(rate)."))
            #expect(again.text.contains("{{EPCI.ensemble.taux_plan}}.\n\n&lt;b&gt;gras&lt;/b&gt;</textarea>"))
            // Nothing is saved by a preview.
            #expect(!(try await officer.get("/projets/\(id)/historique").text.contains("Récit")))
            // A preview without the page's token is refused.
            #expect(try await officer.post("/projets/\(id)/recits/1/apercu", [("texte", text)], csrf: nil).status == .forbidden)
        }
    }

    @Test func anUnknownFigureIsRefusedAndTheTextKept() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (officer, id) = try await Self.officer(client, notices, server)
            let text = "Un taux de {{EPCI.ensemble.taux_plann}}."
            let preview = try await officer.submit("/projets/\(id)/recits/1/apercu", [("texte", text)], from: "/projets/\(id)/recits/1")
            #expect(preview.text.contains("EPCI.ensemble.taux_plann"))
            #expect(preview.text.contains("inconnu"))
            let page = try await officer.get("/projets/\(id)/recits/1").text
            let refused = try await officer.submit("/projets/\(id)/recits/1", [("texte", text), ("action", "enregistrer"),
                                                                               ("version", try Self.version(page))],
                                                   from: "/projets/\(id)/recits/1")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"aria-describedby="aide-texte erreur-texte" aria-invalid="true""#))
            #expect(refused.text.contains(#"id="erreur-texte""#))
            #expect(refused.text.contains("EPCI.ensemble.taux_plann\u{A0}» inconnu"))
            #expect(refused.text.contains(##"href="#champ-texte""##))
            #expect(refused.text.contains(text + "</textarea>"))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/2").path))
        }
    }

    @Test func aSaveMakesANewVersionWithTheText() async throws {
        let server = try TestServer()
        let rate = try Self.figure("EPCI.ensemble.taux_plan")
        try await server.run { client, notices in
            var (officer, id) = try await Self.officer(client, notices, server)
            let page = try await officer.get("/projets/\(id)/recits/2").text
            let version = try Self.version(page)
            let text = "# Bilan\r\n\r\nLes pôles urbains majeurs atteignent {{poles_urbains_majeurs.ensemble.taux_plan}}, l'EPCI {{EPCI.ensemble.taux_plan}}.\r\n"
            let saved = try await officer.submit("/projets/\(id)/recits/2", [("texte", text), ("action", "enregistrer"), ("version", version)],
                                                 from: "/projets/\(id)/recits/2")
            #expect(saved.status == .seeOther, "\(saved.text)")
            #expect(saved.location == "/projets/\(id)/recits/2?enregistre=oui")
            let file = server.folder.appendingPathComponent("projets/\(id)/2/recits/o1-poles-urbains-majeurs.md")
            #expect(try String(contentsOf: file, encoding: .utf8) == text.replacingOccurrences(of: "\r\n", with: "\n"))
            let history = try await officer.get("/projets/\(id)/historique").text
            #expect(history.contains("Récit « Pôles urbains majeurs » modifié"))
            #expect(history.contains("recits/o1-poles-urbains-majeurs.md"))
            let after = try await officer.get("/projets/\(id)/recits/2?enregistre=oui").text
            #expect(after.contains("version 2"))
            #expect(after.contains("EPCI \(rate)."))
            // The bilan shows the new text.
            #expect(try await officer.get("/projets/\(id)/apercu").text.contains("l’EPCI \(rate)."))
            // A save on the replaced version is refused, the text kept.
            let stale = try await officer.submit("/projets/\(id)/recits/2", [("texte", "Autre texte"), ("action", "enregistrer"),
                                                                             ("version", version)], from: "/projets/\(id)/recits/2")
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Autre texte</textarea>"))
        }
    }

    @Test func aReaderPreviewsButCannotSave() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            var reader = try await Scenario.invite(&admin, organisation: lens, role: .lecteur, name: "Chloé", email: "c@lens.fr")
            let id = try await Scenario.callProject(&officer, server)
            let page = try await reader.get("/projets/\(id)/recits/1").text
            #expect(!page.contains(#"value="enregistrer""#))
            let refused = try await reader.submit("/projets/\(id)/recits/1", [("texte", "x"), ("action", "enregistrer"),
                                                                              ("version", try Self.version(page))],
                                                  from: "/projets/\(id)/recits/1")
            #expect(refused.status == .forbidden)
            #expect(try await reader.submit("/projets/\(id)/recits/1/apercu", [("texte", "x")], from: "/projets/\(id)/recits/1").status == .ok)
        }
    }
}
