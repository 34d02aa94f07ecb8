import Hummingbird
import NIOCore

/// What a request carries through the middlewares to its handler: who is signed in, the form, the CSRF token.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user and their session, set by `SessionMiddleware`.
    public var user: User?
    public var session: Session?
    /// The token the page's forms must carry: the session's, or before sign-in the `plh_csrf` cookie's.
    public var csrfToken = ""
    /// A new `plh_csrf` cookie to set on the response (first visit, no session yet).
    public var newCSRFCookie: String?
    /// The body of a POST, read once by `CSRFMiddleware`.
    public var form = Form()
    /// The client's address, a key of the login throttle.
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "inconnue"
    }

    /// Forms are small; uploads will get their own limit.
    public var maxUploadSize: Int { 1 << 20 }

    /// The projects this request may reach, set with the user by `SessionMiddleware`: none without a user.
    public var perimeter = Perimeter(organisationIDs: [])
}
