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
    /// The body of a POST, read once by `CSRFCheck` within its route's limit.
    public var form = Form()
    /// The files of a `multipart/form-data` body, by field name.
    public var files: [String: UploadedFile] = [:]
    /// The client's address, a key of the login throttle.
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "inconnue"
    }

    /// The projects this request may reach, set with the user by `SessionMiddleware`: none without a user.
    public var perimeter = Perimeter(organisationIDs: [])
}
