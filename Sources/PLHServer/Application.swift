import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Logging
import PLHBilan
import ServiceLifecycle

/// How the server is started: `plh-bilan serve` fills it from its options, tests in memory.
public struct ServerConfiguration: Sendable {
    /// The data folder: `plh-bilan.sqlite` and `projets/`.
    public var dataFolder: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// Cookies marked Secure (served over TLS, or behind a proxy that is).
    public var secureCookies = false
    /// Tests: the database in memory (project folders still go to `dataFolder`).
    public var inMemoryDatabase = false
    /// bcrypt's cost; tests lower it.
    public var passwordCost: UInt8 = 12
    /// How much the server logs (swift-log, on the standard error): warnings and errors by default.
    public var logLevel: Logger.Level = .warning
    /// What the host decides (fixed time, Chromium): built by the command from its environment, passed down.
    public var settings = RunSettings()
    /// What the server has to tell whoever started it (the first-start link); the server itself never prints.
    public var notify: @Sendable (ServerNotice) -> Void = { _ in }

    public init(dataFolder: String) {
        self.dataFolder = dataFolder
    }

    /// The address links are built on: `http://127.0.0.1:8080`.
    public var baseURL: String {
        (secureCookies ? "https" : "http") + "://" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }
}

/// What the server tells the command that started it.
public enum ServerNotice: Sendable, Equatable {
    /// The database has no account: this one-time link creates the first platform administrator.
    case firstStart(link: String)
}

/// What handlers share: storage, pages, settings.
struct Services: Sendable {
    static let sessionCookie = "plh_session"
    static let csrfCookie = "plh_csrf"
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let linkLifetime: TimeInterval = 7 * 24 * 3600

    let store: any Store
    let pages: Pages
    let configuration: ServerConfiguration
    let throttle: LoginThrottle
    let epcis: EPCIDirectory
    /// Projects' versions, and the one way to change them.
    let workspace: ProjectWorkspace
    /// Projects loaded per version, for the narrative editor's preview.
    let projects = ProjectCache()
    /// The bilan pages of recent versions, for « Aperçu du bilan ».
    let bilanPages = BilanPageCache()

    var projectsFolder: URL { URL(fileURLWithPath: configuration.dataFolder).appendingPathComponent("projets") }

    /// Appends to the audit log: `organisationID` is the organisation concerned (the project's, or the user's).
    func audit(_ action: AuditAction, by user: User?, organisationID: Int?, project: String? = nil, _ detail: String) async throws {
        try await store.appendAudit(AuditEntry(userID: user?.id, organisationID: organisationID ?? user?.organisationID,
                                               action: action, projectID: project, detail: detail))
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
               sameSite: .lax)
    }

    func hashPassword(_ password: String) -> String {
        Bcrypt.hash(password, cost: min(max(configuration.passwordCost, 4), 31))
    }

    /// Checks a password; for an unknown account against a hash of nothing, so that both take the same time.
    func verifyPassword(_ password: String, hash: String?) -> Bool {
        let verified = Bcrypt.verify(password, hash: hash ?? unknownAccountHash)
        return hash != nil && verified
    }

    /// A hash at the server's cost that no password matches in practice (made once, at start).
    let unknownAccountHash: String

    /// Opens a session for the user and returns the response with its cookie.
    func signIn(_ user: User, redirectTo location: String) async throws -> Response {
        let token = Token.random()
        try await store.createSession(Session(tokenHash: Token.hash(token), userID: user.id, csrfToken: Token.random(),
                                              expires: Date().addingTimeInterval(Self.sessionLifetime)))
        var response = Pages.redirect(location)
        response.setCookie(cookie(Self.sessionCookie, token, maxAge: Int(Self.sessionLifetime)))
        return response
    }
}

/// One route: method, path (parameters as `:name`) and handler. Controllers list theirs in one `routes` value,
/// so that tests can enumerate them (the perimeter test goes through every route taking a `:project`).
public struct Route: Sendable {
    public var method: HTTPRequest.Method
    public var path: String
    /// The largest body the route reads: forms 1 MiB, uploads more (`Route.tableLimit`, `Route.importLimit`).
    public var bodyLimit: Int
    let handler: @Sendable (Services, Request, WebContext) async throws -> Response

    /// Forms; table uploads (a production table of a large EPCI as `.xlsx`); Sitadel extracts and project zips.
    static let formLimit = 1 << 20, tableLimit = 20 << 20, importLimit = 64 << 20

    init(_ method: HTTPRequest.Method, _ path: String, bodyLimit: Int = Route.formLimit,
         _ handler: @escaping @Sendable (Services, Request, WebContext) async throws -> Response) {
        self.method = method
        self.path = path
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}

/// Every route of the application, controller by controller.
public let allRoutes: [Route] = HomeController.routes + SetupController.routes + SessionController.routes
    + OrganisationController.routes + ProjectController.routes + HistoryController.routes + EditController.routes + EditController.segmentRoutes
    + EditController.objectiveRoutes + EditController.findingRoutes
    + UploadController.routes + NarrativeController.routes + DownloadController.routes

/// The application `serve` runs and tests start in memory: opens the database (running its migrations), and on
/// an empty one creates the first administrator's one-time link, given to `configuration.notify`.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    let folder = URL(fileURLWithPath: configuration.dataFolder)
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("projets"), withIntermediateDirectories: true)
    let store = try await SQLiteStore.open(path: configuration.inMemoryDatabase ? nil : folder.appendingPathComponent("plh-bilan.sqlite").path)
    let services = Services(store: store, pages: try await Pages.load(), configuration: configuration, throttle: LoginThrottle(),
                            epcis: .shipped, workspace: ProjectWorkspace(root: folder.appendingPathComponent("projets"), store: store),
                            unknownAccountHash: Bcrypt.hash(Token.random(), cost: min(max(configuration.passwordCost, 4), 31)))
    if try await store.userCount() == 0 {
        let token = Token.random()
        try await store.replaceSetupToken(hash: Token.hash(token), expires: Date().addingTimeInterval(Services.linkLifetime))
        configuration.notify(.firstStart(link: configuration.baseURL + "/installation/" + token))
    }

    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: SessionMiddleware(services: services))
    router.add(middleware: ErrorPageMiddleware(pages: services.pages))
    for route in allRoutes {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            try await route.handler(services, request, try await CSRFCheck.read(request, context, limit: route.bodyLimit))
        }
    }
    var logger = Logger(label: "plh-bilan")
    logger.logLevel = configuration.logLevel
    return Application(router: router,
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                       services: [DatabaseService(store: store)], logger: logger)
}

/// Closes the database when the server stops.
struct DatabaseService: Service {
    let store: SQLiteStore

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}
