import HTTPTypes
import Foundation
import Hummingbird
import PLHBilan
import ZIPFoundation

/// Projects: list, "Nouveau bilan", summary, preview of the bilan, download of the folder.
///
/// Every route that takes a `:project` reaches it through `project(_:_:)`, the one function that applies the
/// user's perimeter; a project outside it answers 404 exactly like an unknown one.
enum ProjectController {
    static let routes: [Route] = [
        Route(.get, "/projets", list),
        Route(.get, "/projets/nouveau", newForm),
        Route(.post, "/projets", create),
        Route(.get, "/projets/:project", show),
        Route(.get, "/projets/:project/apercu", preview),
        Route(.get, "/projets/:project/telecharger", download),
    ]

    /// The project of the URL, within the user's perimeter, and its folder; 404 otherwise.
    static func project(_ services: Services, _ context: WebContext) async throws -> (ProjectRecord, URL) {
        _ = try context.requireUser()
        let id = context.parameters.get("project") ?? ""
        guard let record = try await services.store.project(id, visibleTo: context.perimeter) else { throw WebError.notFound }
        return (record, services.workspace.folder(record))
    }

    /// The project of the URL when the user may change it: within the perimeter (404 otherwise), of an organisation
    /// the perimeter lets them edit (not one a département or a State service only reads) and with a role that
    /// edits (403 `notAllowed` otherwise). Every route that saves a project goes through here.
    static func editableProject(_ services: Services, _ context: WebContext) async throws -> (ProjectRecord, URL) {
        let (record, folder) = try await project(services, context)
        guard mayEdit(context, record) else { throw WebError.notAllowed }
        return (record, folder)
    }

    /// Whether the signed-in user may change the project (for pages that offer or hide an editing form).
    static func mayEdit(_ context: WebContext, _ record: ProjectRecord) -> Bool {
        guard let user = context.user else { return false }
        return user.role.canEdit && context.perimeter.isEditable(record.organisationID)
    }

    static func list(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        let projects = try await services.store.projects(visibleTo: context.perimeter).map { project -> [String: Any] in
            ["id": project.id, "nom": project.name]
        }
        let organisation = try await services.store.organisation(id: user.organisationID)
        let mayCreate = user.isPlatformAdministrator ? try await !epciOrganisations(services).isEmpty : canCreate(user, organisation)
        return try services.pages.render("projets", title: "Bilans", [
            "projets": projects, "peutCreer": mayCreate,
        ], context: context)
    }

    static func canCreate(_ user: User, _ organisation: Organisation?) -> Bool {
        user.role.canEdit && organisation?.kind == .epci && organisation?.siren != nil
    }

    /// The EPCI organisations a platform administrator may create a project for.
    static func epciOrganisations(_ services: Services) async throws -> [Organisation] {
        try await services.store.organisations().filter { $0.kind == .epci && $0.siren != nil }
    }

    /// The EPCI whose project the user creates: their own organisation, which must be an EPCI; a platform
    /// administrator chooses one (`organisation`, an EPCI organisation's id; their own when it is one, or the first).
    static func creatorEPCI(_ services: Services, _ context: WebContext,
                            requested: String? = nil) async throws -> (User, Organisation, choices: [Organisation]) {
        let user = try context.requireUser()
        if user.isPlatformAdministrator {
            let choices = try await epciOrganisations(services)
            guard let first = choices.first else { throw WebError.notAllowed }
            if let requested {
                guard let chosen = choices.first(where: { String($0.id) == requested }) else { throw WebError.notFound }
                return (user, chosen, choices)
            }
            return (user, choices.first { $0.id == user.organisationID } ?? first, choices)
        }
        let organisation = try await services.store.organisation(id: user.organisationID)
        guard let organisation, canCreate(user, organisation) else { throw WebError.notAllowed }
        return (user, organisation, [])
    }

    /// The fields of "Nouveau bilan", their values kept.
    struct NewForm {
        var kind = BilanKind.triennal.rawValue
        var date: String
        var first: String
        var last: String
        var stage = CountingStage.autorises.code

        init() {
            let today = importDate(settings: RunSettings())
            date = today.iso8601
            first = String(today.year - 3)
            last = String(today.year + 2)
        }

        init(_ form: Form) {
            kind = form.text("type"); date = form.text("date"); first = form.text("premiere_annee")
            last = form.text("derniere_annee"); stage = form.text("stade")
        }

        /// The fields, with errors when checked, and the choice when there is none.
        func check(siren: String, checked: Bool) -> ([Field], BilanEngine.NewProject?) {
            var fields = [
                Field(name: "type", label: "Type de bilan", type: "select", value: kind,
                      options: BilanKind.allCases.map { ($0.rawValue, French.capitalised(French.kind($0))) }),
                Field(name: "date", label: "Date du bilan", type: "date", value: date, help: "au format 2026-03-31"),
                Field(name: "premiere_annee", label: "Première année du plan", type: "number", value: first),
                Field(name: "derniere_annee", label: "Dernière année du plan", type: "number", value: last,
                      help: "incluse : un PLH dure six ans"),
                Field(name: "stade", label: "Stade de comptage des logements", type: "select", value: stage,
                      options: CountingStage.allCases.map { ($0.code, French.capitalised($0.dwellings)) }),
            ]
            guard checked else { return (fields, nil) }
            let bilanKind = BilanKind(rawValue: kind), countingStage = CountingStage(code: stage)
            let day = CalendarDate(parsing: date)
            let years = (Int(first), Int(last))
            if bilanKind == nil { fields[0].error = "choisissez un type dans la liste" }
            if day == nil { fields[1].error = "« \(date) » n'est pas une date : écrivez par exemple 2026-03-31" }
            if years.0.map({ (1900...2200).contains($0) }) != true { fields[2].error = "indiquez une année, par exemple 2020" }
            if years.1.map({ (1900...2200).contains($0) }) != true {
                fields[3].error = "indiquez une année, par exemple 2025"
            } else if let a = years.0, let b = years.1, b < a {
                fields[3].error = "la dernière année précède la première"
            }
            if countingStage == nil { fields[4].error = "choisissez un stade dans la liste" }
            guard fields.allSatisfy({ $0.error == nil }), let bilanKind, let day, let a = years.0, let b = years.1,
                  let countingStage else { return (fields, nil) }
            return (fields, BilanEngine.NewProject(siren: siren, kind: bilanKind, date: day, years: a...b, stage: countingStage))
        }
    }

    static func newForm(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (_, organisation, choices) = try await creatorEPCI(services, context)
        let fields = NewForm().check(siren: "", checked: false).0
        return try newPage(services, context, organisation, chooser(organisation, choices) + fields, engineErrors: [])
    }

    /// For a platform administrator, the field choosing the EPCI organisation whose project it is.
    static func chooser(_ organisation: Organisation, _ choices: [Organisation]) -> [Field] {
        guard !choices.isEmpty else { return [] }
        return [Field(name: "organisation", label: "EPCI du bilan", type: "select", value: String(organisation.id),
                      help: "en administrateur de la plateforme, vous créez le bilan pour l'EPCI choisi",
                      options: choices.map { (String($0.id), "\($0.name) (SIREN \($0.siren ?? ""))") })]
    }

    static func newPage(_ services: Services, _ context: WebContext, _ organisation: Organisation, _ fields: [Field],
                        engineErrors: [String], status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = [
            "epci": organisation.name, "siren": organisation.siren ?? "", "champs": fields.objects,
            "erreurs": fields.errorSummary, "erreursMoteur": engineErrors,
        ]
        values["choixEPCI"] = fields.contains { $0.name == "organisation" }
        return try services.pages.render("nouveau", title: "Nouveau bilan", values, context: context, status: status)
    }

    static func create(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (user, organisation, choices) = try await creatorEPCI(services, context, requested: context.form["organisation"])
        let (formFields, choice) = NewForm(context.form).check(siren: organisation.siren ?? "", checked: true)
        let fields = chooser(organisation, choices) + formFields
        guard let choice else {
            return try newPage(services, context, organisation, fields, engineErrors: [], status: .unprocessableContent)
        }
        let id = Token.random(bytes: 8)
        let epciName = services.epcis[choice.siren]?.name ?? organisation.name
        let name = "\(French.capitalised(French.kind(choice.kind))) \(choice.years.lowerBound)-\(choice.years.upperBound) — \(epciName)"
        let record = ProjectRecord(id: id, organisationID: organisation.id, name: name, createdBy: user.id, created: Date())
        let outcome: ProjectWorkspace.SaveOutcome
        do {
            outcome = try await services.workspace.create(record, user: user, summary: "Création du bilan") { folder in
                try FileManager.default.removeItem(at: folder)
                _ = try BilanEngine.initialise(choice, folder: folder, settings: services.configuration.settings)
            }
        } catch let error as BilanError {
            return try newPage(services, context, organisation, fields, engineErrors: error.diagnostics.map(\.description),
                               status: .unprocessableContent)
        }
        guard case .saved = outcome else {
            if case .invalid(let error) = outcome {
                return try newPage(services, context, organisation, fields, engineErrors: error.diagnostics.map(\.description),
                                   status: .unprocessableContent)
            }
            throw WebError(.internalServerError, "Erreur interne", "Le bilan n'a pas pu être créé.")
        }
        try await services.audit(.creationProjet, by: user, organisationID: organisation.id, project: id, name)
        return Pages.redirect("/projets/" + id)
    }

    static func show(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await project(services, context)
        var values: [String: Any] = ["id": record.id, "nom": record.name]
        do {
            let loaded = try BilanEngine.load(folder)
            let project = loaded.project
            values["resume"] = [
                "epci": project.epci.name, "siren": project.epci.siren,
                "communes": French.count(project.communes.count, "commune"),
                "population": French.integer(project.communes.reduce(0) { $0 + $1.population }),
                "plan": "\(project.plan.name) (\(project.plan.years.lowerBound)-\(project.plan.years.upperBound))",
                "bilan": "\(French.capitalised(French.kind(project.bilan.kind))) du \(French.date(project.bilan.date))",
                "stade": French.capitalised(project.bilan.stage.dwellings),
            ]
            values["avertissements"] = loaded.warnings.map(\.description)
        } catch {
            values["erreurs"] = error.diagnostics.map(\.description)
        }
        return try services.pages.render("projet", title: record.name, values, context: context)
    }

    /// The bilan's HTML, served under the document's own Content-Security-Policy.
    static func preview(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await project(services, context)
        let html: String
        do {
            html = try await services.bilanPages.html(record, folder: folder, settings: services.configuration.settings)
        } catch let error as BilanError {
            return try services.pages.render("projet", title: record.name, [
                "id": record.id, "nom": record.name, "erreurs": error.diagnostics.map(\.description),
            ], context: context, status: .unprocessableContent)
        }
        var response = Pages.html(html)
        response.headers[HTTPField.Name("Content-Security-Policy")!] = BilanEngine.bilanPolicy
        return response
    }

    /// The project folder as a zip, which the command line opens once unpacked; its folder is named after the bilan.
    static func download(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await project(services, context)
        let root = folderName(record)
        let bytes = try zip(folder, root: root)
        try await services.audit(.telechargement, by: context.user, organisationID: record.organisationID, project: record.id,
                                 "dossier du projet (zip), version \(record.version)")
        return Response(status: .ok, headers: [
            .contentType: "application/zip", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"\(root).zip\"",
        ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `bilan-triennal-2014-2020-ca-de-lens-lievin`: the name of the project's folder once downloaded.
    static func folderName(_ record: ProjectRecord) -> String {
        let name = slug(record.name)
        return name.isEmpty ? "projet-" + record.id : name
    }

    /// The files of `folder` as a zip archive, under the folder `root`.
    static func zip(_ folder: URL, root: String) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for path in ProjectWorkspace.files(in: folder) {
            let data = try Data(contentsOf: folder.appendingPathComponent(path))
            try archive.addEntry(with: root + "/" + path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let bytes = archive.data else { throw WebError(.internalServerError, "Erreur interne", "L'archive n'a pas pu être faite.") }
        return bytes
    }
}
