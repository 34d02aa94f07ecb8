import Foundation
import Hummingbird

/// Organisations (platform administrators), members and invitations (organisation administrators).
enum OrganisationController {
    static let routes: [Route] = [
        Route(.get, "/organisations", list),
        Route(.post, "/organisations", create),
        Route(.get, "/organisation", members),
        Route(.post, "/organisation/invitations", invite),
        Route(.get, "/invitation/:token", showInvitation),
        Route(.post, "/invitation/:token", acceptInvitation),
    ]

    static func platformAdministrator(_ context: WebContext) throws -> User {
        let user = try context.requireUser()
        guard user.isPlatformAdministrator else { throw WebError.notAllowed }
        return user
    }

    static func list(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        _ = try platformAdministrator(context)
        return try await listPage(services, context, form: OrganisationForm(), checked: false)
    }

    static func listPage(_ services: Services, _ context: WebContext, form: OrganisationForm, checked: Bool,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let fields = form.fields(checked: checked, epcis: services.epcis)
        let organisations = try await services.store.organisations().map { organisation -> [String: Any] in
            ["id": organisation.id, "nom": organisation.name, "type": organisation.kind.label, "siren": organisation.siren ?? "—"]
        }
        return try services.pages.render("organisations", title: "Organisations", [
            "organisations": organisations, "champs": fields.objects, "erreurs": fields.errorSummary,
        ], context: context, status: status)
    }

    static func create(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let administrator = try platformAdministrator(context)
        let form = OrganisationForm(context.form)
        guard form.fields(checked: true, epcis: services.epcis).allSatisfy({ $0.error == nil }) else {
            return try await listPage(services, context, form: form, checked: true, status: .unprocessableContent)
        }
        let (kind, name, siren) = form.values(epcis: services.epcis)
        let created = try await services.store.createOrganisation(kind: kind, name: name, siren: siren)
        try await services.audit(.creationOrganisation, by: administrator, organisationID: created.id,
                                 "\(kind.label) « \(name) »\(siren.map { ", SIREN \($0)" } ?? "")")
        return Pages.redirect("/organisations")
    }

    /// The organisation an administrator manages: their own; a platform administrator may name another (`organisation`).
    static func managed(_ services: Services, _ context: WebContext, _ requested: String?) async throws -> Organisation {
        let user = try context.requireUser()
        guard user.role == .administrateur || user.isPlatformAdministrator else { throw WebError.notAllowed }
        let id = user.isPlatformAdministrator ? requested.flatMap { Int($0) } ?? user.organisationID : user.organisationID
        guard let organisation = try await services.store.organisation(id: id) else { throw WebError.notFound }
        return organisation
    }

    static func members(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let organisation = try await managed(services, context, request.uri.queryParameters["organisation"].map(String.init))
        return try await membersPage(services, context, organisation, link: nil)
    }

    static func membersPage(_ services: Services, _ context: WebContext, _ organisation: Organisation,
                            link: String?) async throws -> Response {
        let members = try await services.store.users(organisationID: organisation.id).map { user -> [String: Any] in
            ["nom": user.name, "email": user.email, "role": user.role.label,
             "administrateurPlateforme": user.isPlatformAdministrator]
        }
        var values: [String: Any] = [
            "organisation": ["id": organisation.id, "nom": organisation.name, "type": organisation.kind.label],
            "membres": members,
            "champs": [Field(name: "role", label: "Rôle de la personne invitée", type: "select", value: Role.contributeur.rawValue,
                             options: Role.allCases.map { ($0.rawValue, $0.label) }).object],
        ]
        if let link { values["lien"] = link }
        return try services.pages.render("organisation", title: organisation.name, values, context: context)
    }

    /// A one-time link, shown on the page to be copied (no e-mail is sent).
    static func invite(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        let organisation = try await managed(services, context, context.form["organisation"])
        guard let role = Role(rawValue: context.form.text("role")) else { throw WebError.notFound }
        let token = Token.random()
        try await services.store.createInvitation(Invitation(tokenHash: Token.hash(token), organisationID: organisation.id, role: role,
                                                             createdBy: user.id,
                                                             expires: Date().addingTimeInterval(Services.linkLifetime)))
        try await services.audit(.invitation, by: user, organisationID: organisation.id, "lien d'invitation, rôle « \(role.label) »")
        return try await membersPage(services, context, organisation,
                                     link: services.configuration.baseURL + "/invitation/" + token)
    }

    static func invitation(_ services: Services, _ context: WebContext) async throws -> (String, Invitation, Organisation) {
        let token = context.parameters.get("token") ?? ""
        guard let invitation = try await services.store.invitation(hash: Token.hash(token), now: Date()),
              let organisation = try await services.store.organisation(id: invitation.organisationID) else { throw WebError.notFound }
        return (token, invitation, organisation)
    }

    static func showInvitation(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (token, invitation, organisation) = try await invitation(services, context)
        return try invitationPage(services, context, token, invitation, organisation, AccountForm().fields(checked: false))
    }

    static func invitationPage(_ services: Services, _ context: WebContext, _ token: String, _ invitation: Invitation,
                               _ organisation: Organisation, _ fields: [Field],
                               status: HTTPResponse.Status = .ok) throws -> Response {
        try services.pages.render("invitation", title: "Invitation", [
            "action": "/invitation/" + token, "organisation": organisation.name, "role": invitation.role.label,
            "champs": fields.objects, "erreurs": fields.errorSummary,
        ], context: context, status: status)
    }

    static func acceptInvitation(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (token, invitation, organisation) = try await invitation(services, context)
        let account = AccountForm(context.form)
        var fields = account.fields(checked: true)
        if fields.allSatisfy({ $0.error == nil }), try await services.store.user(email: account.email) != nil {
            fields[1].error = "un compte existe déjà à cette adresse"
        }
        guard fields.allSatisfy({ $0.error == nil }) else {
            return try invitationPage(services, context, token, invitation, organisation, fields, status: .unprocessableContent)
        }
        guard let used = try await services.store.consumeInvitation(hash: Token.hash(token), now: Date()),
              let user = try await services.store.createUser(email: account.email, name: account.name,
                                                             passwordHash: services.hashPassword(account.password),
                                                             organisationID: used.organisationID, role: used.role,
                                                             platformAdministrator: false) else { throw WebError.notFound }
        try await services.audit(.inscription, by: user, organisationID: used.organisationID,
                                 "compte créé par invitation, rôle « \(used.role.label) »")
        return try await services.signIn(user, redirectTo: "/projets")
    }
}
