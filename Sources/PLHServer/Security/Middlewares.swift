import HTTPTypes
import Foundation
import Hummingbird
import NIOCore

/// Headers every response carries: a Content-Security-Policy without inline script, no sniffing, no referrer
/// (links carry one-time tokens), no framing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            context.logger.error("erreur : \(error)")
            response = Pages.html(Self.fallback, status: .internalServerError)
        }
        let csp = HTTPField.Name("Content-Security-Policy")!
        if response.headers[csp] == nil { response.headers[csp] = Self.policy }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }

    static let fallback = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur interne</title></head>
        <body><h1>Erreur interne</h1><p>Le serveur n'a pas pu répondre. Réessayez dans un instant.</p></body></html>
        """
}

/// Finds the session of the `plh_session` cookie, and the CSRF token the page's forms carry.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let services: Services

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Services.sessionCookie]?.value,
           let session = try await services.store.session(hash: Token.hash(token), now: Date()),
           let user = try await services.store.user(id: session.userID), !user.isRemoved {
            context.session = session
            context.user = user
            context.perimeter = try await services.perimeter(for: user)
            context.csrfToken = session.csrfToken
        } else if let token = request.cookies[Services.csrfCookie]?.value, token.count == 64 {
            context.csrfToken = token
        } else {
            context.csrfToken = Token.random()
            context.newCSRFCookie = context.csrfToken
        }
        var response = try await next(request, context)
        if let token = context.newCSRFCookie {
            response.setCookie(services.cookie(Services.csrfCookie, token, maxAge: nil))
        }
        return response
    }
}

/// Reads the body of a POST, PUT, PATCH or DELETE once, up to its route's limit, into `context.form` (and
/// `context.files` for `multipart/form-data`), and refuses it when its form does not carry the page's CSRF token
/// (field `csrf`). Runs in each route's handler, after routing, so that each route has its own limit and an unknown
/// address answers 404 before any body is read.
enum CSRFCheck {
    static let field = "csrf"

    static func read(_ request: Request, _ context: WebContext, limit: Int) async throws -> WebContext {
        guard ![.get, .head, .options].contains(request.method) else { return context }
        var context = context
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            context.form = Form(body: String(buffer: buffer))
        } else if let boundary = MultipartForm.boundary(contentType: type) {
            (context.form, context.files) = try MultipartForm.parse(buffer, boundary: boundary)
        }
        guard !context.csrfToken.isEmpty, let sent = context.form[Self.field], Token.equal(sent, context.csrfToken) else {
            throw WebError.forbiddenForm
        }
        return context
    }
}

/// Turns errors into French pages: `WebError` as it says, an unknown route as 404, anything else as 500.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            return try page(error, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return try page(.notFound, context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return try page(Self.tooLarge, context)
        } catch is NIOTooManyBytesError {
            // What `collectBody(upTo:)` throws past a route's limit.
            return try page(Self.tooLarge, context)
        } catch {
            context.logger.error("erreur : \(error)")
            return try page(WebError(.internalServerError, "Erreur interne", "Le serveur n'a pas pu répondre. Réessayez dans un instant."), context)
        }
    }

    static let tooLarge = WebError(.contentTooLarge, "Envoi trop volumineux",
                                   "Le formulaire ou le fichier envoyé dépasse la taille permise pour cette page.")

    func page(_ error: WebError, _ context: WebContext) throws -> Response {
        try pages.render("message", title: error.title, ["message": error.message], context: context, status: error.status)
    }
}
