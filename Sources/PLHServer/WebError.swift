import HTTPTypes

/// An answer other than the page asked for, with its French explanation; `ErrorPageMiddleware` renders it.
public struct WebError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ title: String, _ message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    /// Unknown and out-of-perimeter answer the same: nothing tells that a project exists elsewhere.
    public static let notFound = WebError(.notFound, "Page introuvable",
                                          "Cette page n'existe pas, ou vous n'avez pas accès à ce qu'elle montre.")
    public static let forbiddenForm = WebError(.forbidden, "Formulaire refusé",
                                               "Ce formulaire a expiré ou ne vient pas de cette application. Rechargez la page et recommencez.")
    public static let signInRequired = WebError(.unauthorized, "Connexion nécessaire", "Connectez-vous pour voir cette page.")
    public static let notAllowed = WebError(.forbidden, "Action non autorisée",
                                            "Votre rôle ne permet pas cette action. Demandez-la à l'administrateur de votre organisation.")
}
