import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHServer

/// What the server told its starter, collected for the test.
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ServerNotice] = []

    func append(_ notice: ServerNotice) { lock.withLock { list.append(notice) } }

    /// The path of the first-start link: `/installation/<token>`.
    var setupPath: String? {
        lock.withLock {
            list.compactMap { notice -> String? in
                guard case .firstStart(let link) = notice, let range = link.range(of: "/installation/") else { return nil }
                return String(link[range.lowerBound...])
            }.first
        }
    }
}

/// A server in memory: an in-memory database, a temporary data folder, a fast bcrypt.
struct TestServer {
    let configuration: ServerConfiguration
    let notices = Notices()
    let folder: URL

    init(secureCookies: Bool = false, settings: RunSettings = RunSettings()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("plh-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(dataFolder: folder.path)
        configuration.inMemoryDatabase = true
        configuration.passwordCost = 4
        configuration.secureCookies = secureCookies
        configuration.settings = settings
        let notices = notices
        configuration.notify = { notices.append($0) }
        self.configuration = configuration
    }

    /// Runs `body` against the application, then removes the data folder.
    func run(_ body: @escaping @Sendable (any TestClientProtocol, Notices) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = try await buildApplication(configuration)
        let notices = notices
        try await app.test(.router) { client in try await body(client, notices) }
    }
}

/// A browser: keeps cookies, finds the CSRF token of pages, follows nothing by itself.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    mutating func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get, body: nil)
    }

    /// Posts a form; `csrf` is the token to send (nil: none at all).
    mutating func post(_ uri: String, _ fields: [(String, String)], csrf: String?) async throws -> TestResponse {
        let all = (csrf.map { [("csrf", $0)] } ?? []) + fields
        return try await send(uri, method: .post, body: Form.encode(all))
    }

    /// Posts a form with the CSRF token of the page `from` (by default the form's own address).
    mutating func submit(_ uri: String, _ fields: [(String, String)], from page: String? = nil) async throws -> TestResponse {
        let token = try await csrf(page ?? uri)
        return try await post(uri, fields, csrf: token)
    }

    /// The token of the hidden `csrf` field of a page.
    mutating func csrf(_ uri: String) async throws -> String {
        let html = try await get(uri).text
        guard let range = html.range(of: #"name="csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return "" }
        return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    mutating func send(_ uri: String, method: HTTPRequest.Method, body: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
}

/// Steps every scenario needs.
enum Scenario {
    static let password = "un mot de passe assez long"

    /// Uses the first-start link: the platform administrator of « DREAL Hauts-de-France », signed in.
    static func setUp(_ client: any TestClientProtocol, _ notices: Notices) async throws -> Browser {
        var admin = Browser(client)
        let path = try #require(notices.setupPath)
        let response = try await admin.submit(path, account("Alice Martin", "alice@dreal.gouv.fr")
            + [("type_organisation", "etat"), ("nom_organisation", "DREAL Hauts-de-France"), ("siren", "")])
        try #require(response.status == .seeOther)
        return admin
    }

    static func account(_ name: String, _ email: String) -> [(String, String)] {
        [("nom", name), ("email", email), ("mot_de_passe", password), ("confirmation", password)]
    }

    /// The platform administrator creates an EPCI organisation; returns its id.
    static func createEPCI(_ admin: inout Browser, siren: String) async throws -> Int {
        let response = try await admin.submit("/organisations", [("type_organisation", "epci"), ("nom_organisation", ""), ("siren", siren)])
        try #require(response.status == .seeOther)
        let page = try await admin.get("/organisations").text
        try #require(page.contains(siren))
        // Organisations are numbered in creation order; the administrator's own is 1.
        return siren == "246200364" ? 2 : 3
    }

    /// An invitation link into the organisation, accepted by a new browser, signed in.
    static func invite(_ admin: inout Browser, organisation: Int, role: Role, name: String, email: String) async throws -> Browser {
        let page = try await admin.submit("/organisation/invitations", [("organisation", String(organisation)), ("role", role.rawValue)],
                                          from: "/organisation?organisation=\(organisation)").text
        let range = try #require(page.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression))
        var browser = Browser(admin.client)
        let response = try await browser.submit(String(page[range]), account(name, email))
        try #require(response.status == .seeOther)
        return browser
    }

    /// A « Nouveau bilan » with the form's usual values; returns the project's id.
    static func createProject(_ browser: inout Browser, first: Int = 2014, last: Int = 2020, date: String = "2017-12-31") async throws -> String {
        let response = try await browser.submit("/projets", [("type", "triennal"), ("date", date), ("premiere_annee", String(first)),
                                                             ("derniere_annee", String(last)), ("stade", "autorises")],
                                                from: "/projets/nouveau")
        try #require(response.status == .seeOther, "\(response.text)")
        let location = try #require(response.location)
        return String(location.dropFirst("/projets/".count))
    }

    /// A project made with « Nouveau bilan », whose version 1 is then replaced by the CALL example's files before any
    /// page reads it: a complete bilan, with objectives, production and narratives.
    static func callProject(_ browser: inout Browser, _ server: TestServer) async throws -> String {
        let id = try await createProject(&browser)
        let folder = server.folder.appendingPathComponent("projets/\(id)/1")
        try FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(atPath: TestProject.callExample, toPath: folder.path)
        return id
    }
}
