import Foundation
import Hummingbird

/// Signing in and out.
enum SessionController {
    static let routes: [Route] = [
        Route(.get, "/connexion", show),
        Route(.post, "/connexion", signIn),
        Route(.post, "/deconnexion", signOut),
        Route(.post, "/deconnexion-partout", signOutEverywhere),
    ]

    static func show(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        if context.user != nil { return Pages.redirect("/projets") }
        return try page(services, context, email: "", error: nil)
    }

    static func page(_ services: Services, _ context: WebContext, email: String, error: String?,
                     status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = ["email": email]
        if let error { values["erreur"] = error }
        return try services.pages.render("connexion", title: "Connexion", values, context: context, status: status)
    }

    static func signIn(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let email = context.form.text("email").lowercased()
        let password = context.form["mot_de_passe"] ?? ""
        let keys = LoginThrottle.keys(email: email, address: context.remoteAddress)
        if await services.throttle.isBlocked(keys) {
            return try page(services, context, email: email,
                            error: "Trop de tentatives échouées : la connexion est suspendue pendant 15 minutes pour ce compte ou cette adresse.",
                            status: .tooManyRequests)
        }
        let found = try await services.store.user(email: email)
        // A removed member's account no longer signs in, and answers like a wrong password.
        guard services.verifyPassword(password, hash: found?.passwordHash), let found, !found.user.isRemoved else {
            await services.throttle.recordFailure(keys)
            try await services.audit(.echecConnexion, by: nil, organisationID: found?.user.organisationID,
                                     "adresse « \(email) », depuis \(context.remoteAddress)")
            return try page(services, context, email: email, error: "Adresse électronique ou mot de passe incorrect.",
                            status: .unauthorized)
        }
        await services.throttle.recordSuccess(email: email)
        // A new session for each sign-in: a token set before signing in is never kept.
        if let session = context.session { try await services.store.deleteSession(hash: session.tokenHash) }
        try await services.audit(.connexion, by: found.user, organisationID: nil, "depuis \(context.remoteAddress)")
        return try await services.signIn(found.user, redirectTo: "/projets")
    }

    static func signOut(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        if let session = context.session { try await services.store.deleteSession(hash: session.tokenHash) }
        if let user = context.user { try await services.audit(.deconnexion, by: user, organisationID: nil, "cette session") }
        return expired(services)
    }

    static func signOutEverywhere(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        try await services.store.deleteSessions(userID: user.id)
        try await services.audit(.deconnexion, by: user, organisationID: nil, "toutes les sessions")
        return expired(services)
    }

    /// Back to the sign-in page, the session cookie removed.
    static func expired(_ services: Services) -> Response {
        var response = Pages.redirect("/connexion")
        response.setCookie(services.cookie(Services.sessionCookie, "", maxAge: 0))
        return response
    }
}
