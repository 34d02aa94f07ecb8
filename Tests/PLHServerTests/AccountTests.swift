import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import PLHServer

/// First start, sign-in and sign-out, throttling, CSRF, security headers.
@Suite struct AccountTests {
    /// Issue 12: the first start gives a one-time link; it creates the first administrator once, then answers 404.
    @Test func firstStartLinkCreatesTheAdministratorOnce() async throws {
        try await TestServer().run { client, notices in
            let path = try #require(notices.setupPath)
            #expect(path.count == "/installation/".count + 64)
            var first = Browser(client)
            #expect(try await first.get(path).status == .ok)
            var admin = try await Scenario.setUp(client, notices)
            #expect(try await admin.get("/projets").status == .ok)
            // Used: the link is gone, for a new visitor as for the one who used it.
            var late = Browser(client)
            #expect(try await late.get(path).status == .notFound)
            let token = try await late.csrf("/connexion")
            let again = try await late.post(path, Scenario.account("Mallory", "m@x.fr")
                + [("type_organisation", "etat"), ("nom_organisation", "X"), ("siren", "")], csrf: token)
            #expect(again.status == .notFound)
            #expect(try await admin.get("/organisations").text.contains("DREAL Hauts-de-France"))
        }
    }

    /// The list of organisations links each one to its members and invitations, where a real browser finds them.
    @Test func organisationsLinkToTheirMembers() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let id = try await Scenario.createEPCI(&admin, siren: "246200364")
            let page = try await admin.get("/organisations").text
            let link = #"<a href="/organisation?organisation=\#(id)">CA de Lens - Liévin</a>"#
            #expect(page.contains(link))
            let members = try await admin.get("/organisation?organisation=\(id)")
            #expect(members.status == .ok)
            #expect(members.text.contains("<h1>CA de Lens - Liévin</h1>"))
        }
    }

    /// The first-start form keeps what was typed and links each error to its field.
    @Test func setupFormErrorsAreLinkedToTheirFields() async throws {
        try await TestServer().run { client, notices in
            var browser = Browser(client)
            let path = try #require(notices.setupPath)
            let response = try await browser.submit(path, [("nom", "Alice"), ("email", "pas-une-adresse"), ("mot_de_passe", "court"),
                                                           ("confirmation", "court"), ("type_organisation", "epci"), ("siren", "123")])
            #expect(response.status == .unprocessableContent)
            let html = response.text
            #expect(html.contains(#"aria-describedby="aide-email erreur-email""#))
            #expect(html.contains(#"id="erreur-siren""#))
            #expect(html.contains("aucun EPCI de SIREN «\u{A0}123\u{A0}»"), "French spacing in messages")
            #expect(html.contains(#"value="pas-une-adresse""#))
            #expect(!html.contains(#"value="court""#))
            // Nothing was created: the link still works.
            #expect(try await browser.get(path).status == .ok)
        }
    }

    @Test func signInAndSignOut() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            _ = try await admin.submit("/deconnexion", [], from: "/projets")
            #expect(try await admin.get("/projets").status == .unauthorized)

            var browser = Browser(client)
            let wrong = try await browser.submit("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", "faux")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Adresse électronique ou mot de passe incorrect."))
            let right = try await browser.submit("/connexion", [("email", "Alice@dreal.gouv.fr"), ("mot_de_passe", Scenario.password)])
            #expect(right.status == .seeOther)
            let setCookie = right.headers[values: .setCookie].first { $0.hasPrefix("plh_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
            #expect(try await browser.get("/projets").status == .ok)
        }
    }

    /// Issue 12: cookies are Secure when the server is told it is served over TLS.
    @Test func secureCookiesWhenAsked() async throws {
        try await TestServer(secureCookies: true).run { client, notices in
            var browser = Browser(client)
            let path = try #require(notices.setupPath)
            #expect(try await browser.get(path).headers[values: .setCookie].allSatisfy { $0.contains("; Secure") })
            let created = try await browser.submit(path, Scenario.account("Alice", "alice@dreal.gouv.fr")
                + [("type_organisation", "etat"), ("nom_organisation", "DREAL"), ("siren", "")])
            let session = try #require(created.headers[values: .setCookie].first { $0.hasPrefix("plh_session=") })
            #expect(session.contains("; Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax"))
        }
    }

    /// Issue 12: an invitation link is used once; the new member gets the invitation's organisation and role.
    @Test func invitationLinkIsUsedOnce() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let page = try await admin.submit("/organisation/invitations", [("organisation", "1"), ("role", "lecteur")],
                                              from: "/organisation").text
            let range = try #require(page.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression))
            let link = String(page[range])
            var first = Browser(client)
            #expect(try await first.get(link).text.contains("Lecteur"))
            #expect(try await first.submit(link, Scenario.account("Éva", "eva@dreal.gouv.fr")).status == .seeOther)
            var second = Browser(client)
            #expect(try await second.get(link).status == .notFound)
            let token = try await second.csrf("/connexion")
            #expect(try await second.post(link, Scenario.account("Fred", "fred@x.fr"), csrf: token).status == .notFound)
            let members = try await admin.get("/organisation").text
            #expect(members.contains("eva@dreal.gouv.fr") && !members.contains("fred@x.fr"))
        }
    }

    /// Issue 12: « se déconnecter partout » ends every session of the user.
    @Test func signOutEverywhere() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            var other = Browser(client)
            _ = try await other.submit("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", Scenario.password)])
            #expect(try await other.get("/projets").status == .ok)
            _ = try await admin.submit("/deconnexion-partout", [], from: "/projets")
            #expect(try await other.get("/projets").status == .unauthorized)
            #expect(try await admin.get("/projets").status == .unauthorized)
        }
    }

    /// Issue 12: after five failures the account is refused for a while, even with the right password.
    @Test func repeatedFailuresAreThrottled() async throws {
        try await TestServer().run { client, notices in
            _ = try await Scenario.setUp(client, notices)
            var browser = Browser(client)
            for _ in 0..<5 {
                let response = try await browser.submit("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", "essai")])
                #expect(response.status == .unauthorized)
            }
            let blocked = try await browser.submit("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", Scenario.password)])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("Trop de tentatives"))
            #expect(blocked.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("plh_session=") })
        }
    }

    @Test func throttleCountsPerAddressToo() async {
        let throttle = LoginThrottle(limit: 3)
        for n in 0..<3 { await throttle.recordFailure(LoginThrottle.keys(email: "u\(n)@x.fr", address: "10.0.0.1")) }
        #expect(await throttle.isBlocked(LoginThrottle.keys(email: "nouveau@x.fr", address: "10.0.0.1")))
        #expect(await !throttle.isBlocked(LoginThrottle.keys(email: "nouveau@x.fr", address: "10.0.0.2")))
        #expect(await !throttle.isBlocked(LoginThrottle.keys(email: "u0@x.fr", address: "10.0.0.2"),
                                          now: Date().addingTimeInterval(16 * 60)))
    }

    /// Issue 12: a POST without the form's token, or with another, is refused with a French page.
    @Test func formsWithoutTheirTokenAreRefused() async throws {
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            for token in [nil, "", String(repeating: "0", count: 64)] as [String?] {
                let response = try await admin.post("/deconnexion-partout", [], csrf: token)
                #expect(response.status == .forbidden)
                #expect(response.text.contains("Formulaire refusé"))
                #expect(response.text.contains(#"lang="fr""#))
            }
            #expect(try await admin.get("/projets").status == .ok)
            var visitor = Browser(client)
            let refused = try await visitor.post("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", Scenario.password)],
                                                 csrf: nil)
            #expect(refused.status == .forbidden)
            // The token of one session is not accepted by another.
            let stolen = try await admin.csrf("/projets")
            var other = Browser(client)
            _ = try await other.submit("/connexion", [("email", "alice@dreal.gouv.fr"), ("mot_de_passe", Scenario.password)])
            #expect(try await other.post("/organisations", [("type_organisation", "etat"), ("nom_organisation", "X")], csrf: stolen).status
                == .forbidden)
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await TestServer().run { client, _ in
            var browser = Browser(client)
            for uri in ["/connexion", "/site.css", "/nulle-part", "/projets"] {
                let response = try await browser.get(uri)
                let csp = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"), "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            let missing = try await browser.get("/nulle-part")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("Page introuvable"))
            let page = try await browser.get("/connexion").text
            #expect(page.contains(##"<a class="evitement" href="#contenu">"##))
            #expect(!page.contains("<script"))
        }
    }
}
