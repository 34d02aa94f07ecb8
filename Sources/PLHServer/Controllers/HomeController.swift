import Hummingbird

/// The home page (a redirection) and the stylesheet.
enum HomeController {
    static let routes: [Route] = [
        Route(.get, "/") { _, _, context in
            Pages.redirect(context.user == nil ? "/connexion" : "/projets")
        },
        Route(.get, "/site.css") { services, _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: services.pages.stylesheet))
        },
    ]
}

extension WebContext {
    /// The signed-in user, or the "sign in" page.
    func requireUser() throws -> User {
        guard let user else { throw WebError.signInRequired }
        return user
    }
}
