import Foundation
import Hummingbird
import PLHBilan

/// Organisations (platform administrators), members, their roles, invitations and the audit log (organisation
/// administrators).
enum OrganisationController {
    static let routes: [Route] = [
        Route(.get, "/organisations", list),
        Route(.post, "/organisations", create),
        Route(.get, "/organisation", members),
        Route(.post, "/organisation/invitations", invite),
        Route(.post, "/organisation/membres/:member/role", changeRole),
        Route(.post, "/organisation/membres/:member/retrait", removeMember),
        Route(.get, "/organisation/journal", journal),
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
            ["id": organisation.id, "nom": organisation.name, "type": organisation.kind.label, "siren": organisation.siren ?? "—",
             "territoire": organisation.territory.isEmpty ? "—" : organisation.territory.joined(separator: ", ")]
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
        let (kind, name, siren, territory) = form.values(epcis: services.epcis)
        let created = try await services.store.createOrganisation(kind: kind, name: name, siren: siren, territory: territory)
        try await services.audit(.creationOrganisation, by: administrator, organisationID: created.id,
                                 "\(kind.label) « \(name) »\(siren.map { ", SIREN \($0)" } ?? "")"
                                     + (territory.isEmpty ? "" : ", territoire \(territory.joined(separator: ", "))"))
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
                            link: String?, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let members = try await services.store.users(organisationID: organisation.id).map { user -> [String: Any] in
            ["id": user.id, "nom": user.name, "email": user.email, "role": user.role.label,
             "administrateurPlateforme": user.isPlatformAdministrator,
             "roles": Role.allCases.map { ["valeur": $0.rawValue, "libelle": $0.label, "choisi": $0 == user.role] }]
        }
        var values: [String: Any] = [
            "organisation": ["id": organisation.id, "nom": organisation.name, "type": organisation.kind.label,
                             "territoire": organisation.territory.joined(separator: ", ")],
            "membres": members,
            "champs": [Field(name: "role", label: "Rôle de la personne invitée", type: "select", value: Role.contributeur.rawValue,
                             options: Role.allCases.map { ($0.rawValue, $0.label) }).object],
        ]
        if let link { values["lien"] = link }
        if let error { values["erreur"] = error }
        return try services.pages.render("organisation", title: organisation.name, values, context: context, status: status)
    }

    /// The member of the URL, in the organisation the user manages; 404 for anyone else.
    static func member(_ services: Services, _ context: WebContext) async throws -> (User, Organisation, User) {
        let user = try context.requireUser()
        let organisation = try await managed(services, context, context.form["organisation"])
        guard let id = context.parameters.get("member").flatMap(Int.init), let member = try await services.store.user(id: id),
              member.organisationID == organisation.id, !member.isRemoved else { throw WebError.notFound }
        return (user, organisation, member)
    }

    /// The back link of the organisation page (a platform administrator may be managing another organisation).
    static func pageAddress(_ organisation: Organisation, _ user: User) -> String {
        user.isPlatformAdministrator && organisation.id != user.organisationID ? "/organisation?organisation=\(organisation.id)"
                                                                                : "/organisation"
    }

    static let lastAdministratorMessage = "C'est le dernier administrateur de l'organisation : nommez d'abord un autre administrateur."

    static func changeRole(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (user, organisation, member) = try await member(services, context)
        guard let role = Role(rawValue: context.form.text("role")) else { throw WebError.notFound }
        switch try await services.store.changeRole(userID: member.id, organisationID: organisation.id, to: role) {
        case .done:
            if role != member.role {
                try await services.audit(.changementRole, by: user, organisationID: organisation.id,
                                         "\(member.name) (\(member.email)) : « \(member.role.label) » devient « \(role.label) »")
            }
            return Pages.redirect(pageAddress(organisation, user))
        case .lastAdministrator:
            return try await membersPage(services, context, organisation, link: nil,
                                         error: "Le rôle de \(member.name) n'a pas été changé. " + lastAdministratorMessage,
                                         status: .conflict)
        case .notFound:
            throw WebError.notFound
        }
    }

    /// Removes a member: their sessions end, their account no longer signs in; their name stays in histories.
    static func removeMember(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (user, organisation, member) = try await member(services, context)
        switch try await services.store.removeUser(userID: member.id, organisationID: organisation.id) {
        case .done:
            try await services.audit(.suppressionUtilisateur, by: user, organisationID: organisation.id,
                                     "\(member.name) (\(member.email)), rôle « \(member.role.label) »")
            return Pages.redirect(member.id == user.id ? "/connexion" : pageAddress(organisation, user))
        case .lastAdministrator:
            return try await membersPage(services, context, organisation, link: nil,
                                         error: "\(member.name) n'a pas été retiré. " + lastAdministratorMessage, status: .conflict)
        case .notFound:
            throw WebError.notFound
        }
    }

    static let journalPageSize = 100

    /// The audit log of the organisation, newest first, `journalPageSize` entries a page (`page`, from 1).
    static func journal(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        let organisation = try await managed(services, context, request.uri.queryParameters["organisation"].map(String.init))
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1)
        let entries = try await services.store.auditEntries(organisationID: organisation.id, limit: journalPageSize + 1,
                                                             offset: (page - 1) * journalPageSize)
        var names: [Int: String] = [:], projects: [String: String] = [:]
        var rows: [[String: Any]] = []
        // Project names through the perimeter of the organisation: its entries concern its projects only.
        let perimeter = Perimeter(organisationIDs: [organisation.id])
        for entry in entries.prefix(journalPageSize) {
            var who = "—"
            if let id = entry.userID {
                if names[id] == nil { names[id] = try await services.store.user(id: id)?.name ?? "compte inconnu" }
                who = names[id] ?? "—"
            }
            var project = ""
            if let id = entry.projectID {
                if projects[id] == nil { projects[id] = try await services.store.project(id, visibleTo: perimeter)?.name ?? id }
                project = projects[id] ?? id
            }
            rows.append(["quand": French.dateTime(entry.time), "qui": who, "action": entry.action.label, "projet": project,
                         "detail": entry.detail])
        }
        let base = pageAddress(organisation, user).replacingOccurrences(of: "/organisation", with: "/organisation/journal")
        let separator = base.contains("?") ? "&" : "?"
        var values: [String: Any] = [
            "organisation": ["id": organisation.id, "nom": organisation.name, "adresse": pageAddress(organisation, user)],
            "entrees": rows, "page": page,
        ]
        if page > 1 { values["precedente"] = base + separator + "page=\(page - 1)" }
        if entries.count > journalPageSize { values["suivante"] = base + separator + "page=\(page + 1)" }
        return try services.pages.render("journal", title: "Journal — " + organisation.name, values, context: context)
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
