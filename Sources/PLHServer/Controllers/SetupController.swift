import Foundation
import Hummingbird

/// The first start: the one-time link creates the first platform administrator and their organisation.
enum SetupController {
    static let routes: [Route] = [
        Route(.get, "/installation/:token", show),
        Route(.post, "/installation/:token", create),
    ]

    /// The link is valid only while no account exists and it was not used: otherwise 404, like any unknown page.
    static func validToken(_ services: Services, _ context: WebContext) async throws -> String {
        let token = context.parameters.get("token") ?? ""
        guard try await services.store.userCount() == 0,
              try await services.store.setupTokenIsValid(hash: Token.hash(token), now: Date()) else { throw WebError.notFound }
        return token
    }

    static func show(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let token = try await validToken(services, context)
        return try page(services, context, token: token, account: AccountForm(), organisation: OrganisationForm(), checked: false)
    }

    static func page(_ services: Services, _ context: WebContext, token: String, account: AccountForm,
                     organisation: OrganisationForm, checked: Bool, status: HTTPResponse.Status = .ok) throws -> Response {
        let fields = account.fields(checked: checked) + organisation.fields(checked: checked, epcis: services.epcis)
        return try services.pages.render("installation", title: "Création du premier administrateur", [
            "action": "/installation/" + token, "champs": fields.objects, "erreurs": fields.errorSummary,
        ], context: context, status: status)
    }

    static func create(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let token = try await validToken(services, context)
        let account = AccountForm(context.form), organisation = OrganisationForm(context.form)
        let fields = account.fields(checked: true) + organisation.fields(checked: true, epcis: services.epcis)
        guard fields.allSatisfy({ $0.error == nil }) else {
            return try page(services, context, token: token, account: account, organisation: organisation, checked: true,
                            status: .unprocessableContent)
        }
        // Used once: a second submission, even simultaneous, finds the token gone.
        guard try await services.store.consumeSetupToken(hash: Token.hash(token), now: Date()) else { throw WebError.notFound }
        let (kind, name, siren, territory) = organisation.values(epcis: services.epcis)
        let created = try await services.store.createOrganisation(kind: kind, name: name, siren: siren, territory: territory)
        guard let user = try await services.store.createUser(email: account.email, name: account.name,
                                                             passwordHash: services.hashPassword(account.password),
                                                             organisationID: created.id, role: .administrateur,
                                                             platformAdministrator: true) else { throw WebError.notFound }
        try await services.audit(.inscription, by: user, organisationID: created.id,
                                 "premier administrateur de la plateforme, organisation « \(created.name) »")
        return try await services.signIn(user, redirectTo: "/projets")
    }
}
