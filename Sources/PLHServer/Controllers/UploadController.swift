import Foundation
import Hummingbird
import PLHBilan

/// Uploads: a project table (communes, objectives, production) as CSV, `.xlsx` or `.ods`; Sitadel permits and
/// social-housing approvals, shown as the import's summary before they are applied; a whole CLI project as a zip.
///
/// An uploaded file's name is never a path: tables are stored as `<table>.<extension>`, imports under a safe name.
enum UploadController {
    static let routes: [Route] = [
        Route(.get, "/projets/:project/fichiers", page),
        Route(.post, "/projets/:project/fichiers", bodyLimit: Route.tableLimit, replaceTable),
        Route(.post, "/projets/:project/imports", bodyLimit: Route.importLimit, stageImport),
        Route(.get, "/projets/:project/imports/:token", pendingPage),
        Route(.post, "/projets/:project/imports/:token/appliquer", applyImport),
        Route(.post, "/projets/:project/imports/:token/annuler", cancelImport),
        Route(.post, "/projets/importer", bodyLimit: Route.importLimit, importProject),
    ]

    /// The tables a project can receive: field value, `fichiers:` key and file name stem, label.
    static let tables: [(key: String, label: String)] = [
        ("communes", "Communes (code INSEE, nom, population, catégorie)"),
        ("objectifs", "Objectifs (catégorie ou commune, segment, logements, période)"),
        ("production", "Production (commune, année, segment, logements)"),
    ]

    static let tableFormats = ["csv", "xlsx", "ods"]

    /// What the page shows, with the fields of its three forms and their errors.
    struct PageState {
        var table = "production"
        var tableError: String?
        var fileError: String?
        var importKind = "sitadel"
        var importError: String?
        var stage = ""
        var errors: [String] = []
        var message: String?
        var conflict: [[String: Any]] = []
    }

    static func page(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        var state = PageState()
        if request.uri.queryParameters.get("enregistre") == "oui" { state.message = "Le fichier est enregistré : une nouvelle version du projet est créée." }
        if request.uri.queryParameters.get("importe") == "oui" { state.message = "L'import est appliqué : une nouvelle version du projet est créée." }
        return try render(services, context, record, folder, state)
    }

    static func render(_ services: Services, _ context: WebContext, _ record: ProjectRecord, _ folder: URL, _ state: PageState,
                       status: HTTPResponse.Status = .ok) throws -> Response {
        let user = try context.requireUser()
        var current: [[String: Any]] = []
        if let loaded = try? BilanEngine.load(folder) {
            let names = ["communes": loaded.communesFile, "objectifs": loaded.objectivesFile, "production": loaded.productionFile]
            for table in tables {
                current.append(["libelle": table.label, "fichier": names[table.key].map { $0.isEmpty ? "aucun" : $0 } ?? "aucun"])
            }
            current.append(["libelle": "Trace des imports", "fichier": loaded.sourcesFile])
        }
        var tableField = Field(name: "table", label: "Tableau à remplacer", type: "select", value: state.table,
                               options: tables.map { ($0.key, $0.label) })
        tableField.error = state.tableError
        var fileField = Field(name: "fichier", label: "Fichier", type: "file", help: "CSV (séparateur ; ou ,), Excel .xlsx ou OpenDocument .ods ; 20 Mo au plus")
        fileField.error = state.fileError
        fileField.accept = ".csv,.xlsx,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet"
        var importField = Field(name: "import", label: "Type d'import", type: "select", value: state.importKind,
                                options: [("sitadel", "Permis Sitadel (SDES)"), ("agrements", "Agréments de logements sociaux (PLAI, PLUS, PLS)")])
        importField.error = state.importError
        var importFile = Field(name: "fichier", label: "Fichier à importer", type: "file", help: "CSV, 64 Mo au plus")
        importFile.id = "champ-fichier-import"
        importFile.accept = ".csv,text/csv"
        var mapping = Field(name: "correspondance", label: "Correspondance des colonnes (agréments)", type: "file",
                            help: "le fichier YAML qui dit quelles colonnes donnent la commune, l'année et les logements ; voir examples/agrements-correspondance.yaml")
        mapping.required = false
        mapping.accept = ".yaml,.yml"
        let stage = Field(name: "stade", label: "Stade des permis (Sitadel)", type: "select", value: state.stage,
                          options: [("", "celui du bilan")] + CountingStage.sitadel.map { ($0.code, French.capitalised($0.dwellings)) })
        var values: [String: Any] = [
            "id": record.id, "nom": record.name, "version": record.version, "actuels": current,
            "champsTableau": [tableField, fileField].objects, "champsImport": [importField, importFile, mapping, stage].objects,
            "peutModifier": ProjectController.mayEdit(context, record), "erreurs": ([tableField, fileField, importField]).errorSummary,
            "erreursMoteur": state.errors, "conflit": state.conflict,
        ]
        if let message = state.message { values["succes"] = French.typography(message) }
        return try services.pages.render("fichiers", title: "Fichiers — " + record.name, values, context: context, status: status)
    }

    /// Replaces a table by the uploaded file: stored as `<table>.<extension>`, named in `fichiers:` of plh.yaml, the
    /// previous file removed from the new version (the history keeps it); the engine checks the result.
    static func replaceTable(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        var state = PageState()
        state.table = context.form.text("table")
        let file = context.files["fichier"]
        if !tables.contains(where: { $0.key == state.table }) { state.tableError = "choisissez un tableau dans la liste" }
        if let problem = tableProblem(file) { state.fileError = problem }
        guard state.tableError == nil, state.fileError == nil, let file else {
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
        let key = state.table
        let target = key + "." + file.fileExtension
        let outcome = try await services.workspace.save(record, base: HistoryController.baseVersion(context), user: user,
                                                        summary: "Téléversement de « \(file.name) » (\(key))") { staging in
            let loaded = try? BilanEngine.load(staging)
            let previous = loaded.map { key == "communes" ? $0.communesFile : key == "production" ? $0.productionFile : $0.objectivesFile }
            if let previous, !previous.isEmpty, previous != target, !previous.contains(".."), !previous.hasPrefix("/") {
                try? FileManager.default.removeItem(at: staging.appendingPathComponent(previous))
            }
            try Data(file.bytes).write(to: staging.appendingPathComponent(target))
            try BilanEngine.setPlanValue(in: staging, ["fichiers", key], target)
        }
        switch outcome {
        case .saved(let saved, _):
            try await services.audit(.televersement, by: user, organisationID: record.organisationID, project: record.id,
                                     "« \(file.name) » comme \(key), version \(saved.version)")
            return Pages.redirect("/projets/\(record.id)/fichiers?enregistre=oui")
        case .unchanged:
            state.message = "Ce fichier est identique au tableau actuel : rien n'a changé."
            return try render(services, context, record, folder, state)
        case .stale(_, let since):
            state.conflict = try await HistoryController.conflict(services, since)
            return try render(services, context, record, folder, state, status: .conflict)
        case .invalid(let error):
            state.fileError = "le projet ne se charge pas avec ce fichier : voyez les erreurs ci-dessous, corrigez le fichier et envoyez-le à nouveau"
            state.errors = BilanEngine.messages(error.diagnostics, uploaded: (target, file.name))
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
    }

    /// Why an uploaded table is refused before the engine sees it: missing, empty, an unread format, not what its
    /// extension says.
    static func tableProblem(_ file: UploadedFile?) -> String? {
        guard let file else { return "choisissez un fichier" }
        if file.bytes.isEmpty { return "le fichier « \(file.name) » est vide" }
        let ext = file.fileExtension
        guard tableFormats.contains(ext) else {
            if ["xls", "xlsm", "xlsb", "numbers"].contains(ext) {
                return "les classeurs .\(ext) ne sont pas lus : ouvrez-le dans le tableur et enregistrez-le au format .xlsx, .ods ou CSV"
            }
            return "« \(file.name) » n'est ni un CSV, ni un classeur .xlsx ou .ods"
        }
        let zip = file.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        if ext != "csv" && !zip { return "« \(file.name) » n'est pas un classeur \(ext == "xlsx" ? "Excel" : "OpenDocument") : enregistrez-le à nouveau depuis le tableur" }
        if ext == "csv" && (zip || file.bytes.prefix(4096).contains(0)) {
            return "« \(file.name) » n'est pas un fichier texte CSV : s'il s'agit d'un classeur, gardez son extension .xlsx ou .ods"
        }
        return nil
    }

    // MARK: Imports

    /// Pending imports live in `imports/` of the data folder, beside `projets/`.
    static func pendingRoot(_ services: Services) -> PendingImports {
        PendingImports(root: URL(fileURLWithPath: services.configuration.dataFolder).appendingPathComponent("imports"))
    }

    /// Stages an import: the files stored apart, the import run on a copy of the project, its summary shown.
    static func stageImport(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        var state = PageState()
        state.importKind = context.form.text("import")
        state.stage = context.form.text("stade")
        let kind = PendingImports.Kind(rawValue: state.importKind)
        if kind == nil { state.importError = "choisissez un type d'import dans la liste" }
        guard let kind else { return try render(services, context, record, folder, state, status: .unprocessableContent) }
        guard let data = context.files["fichier"], !data.bytes.isEmpty else {
            state.errors = ["Fichier à importer : choisissez un fichier."]
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
        let mapping = context.files["correspondance"]
        if kind == .agrements && mapping == nil {
            state.errors = ["Correspondance des colonnes : un import d'agréments a besoin du fichier de correspondance (YAML)."]
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
        let stage = state.stage.isEmpty ? nil : state.stage
        if let stage, !CountingStage.sitadel.map(\.code).contains(stage) {
            state.errors = ["Stade des permis : choisissez un stade dans la liste."]
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
        let pending = pendingRoot(services)
        let entry = try pending.stage(kind: kind, project: record, user: user, data: data, mapping: kind == .agrements ? mapping : nil,
                                      stage: kind == .sitadel ? stage : nil)
        switch trial(entry, services: services, folder: folder, pending: pending) {
        case .success:
            return Pages.redirect("/projets/\(record.id)/imports/\(entry.token)")
        case .failure(let error):
            pending.remove(entry.token)
            state.errors = BilanEngine.messages(error.diagnostics, uploaded: (entry.file, data.name))
            state.importError = "l'import est impossible en l'état : voyez les erreurs ci-dessous"
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
    }

    /// The import run on a scratch copy of the version it was staged on: its report, nothing saved.
    static func trial(_ entry: PendingImports.Entry, services: Services, folder: URL,
                      pending: PendingImports) -> Result<ImportReport, BilanError> {
        let scratch = pending.folder(entry.token).appendingPathComponent("essai")
        try? FileManager.default.removeItem(at: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.copyItem(at: folder, to: scratch)
        } catch {
            return .failure(BilanError(.output, at: nil, "la copie d'essai du projet n'a pas pu être faite"))
        }
        do throws(BilanError) {
            return .success(try PendingImports.run(entry, folder: scratch, files: pending.folder(entry.token),
                                                   settings: services.configuration.settings))
        } catch {
            return .failure(BilanEngine.relative(error, folders: [scratch: "", pending.folder(entry.token): ""]))
        }
    }

    static func pendingEntry(_ services: Services, _ context: WebContext) async throws
        -> (ProjectRecord, URL, User, PendingImports, PendingImports.Entry) {
        let (record, folder) = try await ProjectController.project(services, context)
        let user = try context.requireUser()
        let pending = pendingRoot(services)
        guard let entry = pending.entry(context.parameters.get("token") ?? "", project: record, user: user) else { throw WebError.notFound }
        return (record, folder, user, pending, entry)
    }

    /// The summary of a staged import (kept, outside the EPCI, outside the period, unknown codes), with its two buttons.
    static func pendingPage(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, _, pending, entry) = try await pendingEntry(services, context)
        var values: [String: Any] = ["id": record.id, "nom": record.name, "jeton": entry.token, "version": entry.version,
                                     "fichier": entry.uploadedName, "nature": entry.kind.label]
        switch trial(entry, services: services, folder: folder, pending: pending) {
        case .success(let report):
            values["resume"] = report.summary.map(French.typography)
            values["notes"] = BilanEngine.messages(report.notes, uploaded: (entry.file, entry.uploadedName))
            values["perime"] = entry.version != record.version
        case .failure(let error):
            values["erreursMoteur"] = BilanEngine.messages(error.diagnostics, uploaded: (entry.file, entry.uploadedName))
        }
        return try services.pages.render("import", title: "Import à vérifier — " + record.name, values, context: context)
    }

    static func applyImport(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user, pending, entry) = try await pendingEntry(services, context)
        guard ProjectController.mayEdit(context, record) else { throw WebError.notAllowed }
        let files = pending.folder(entry.token)
        let settings = services.configuration.settings
        let outcome = try await services.workspace.save(record, base: entry.version, user: user,
                                                        summary: "Import de \(entry.kind.label) : « \(entry.uploadedName) »") { staging in
            do throws(BilanError) {
                _ = try PendingImports.run(entry, folder: staging, files: files, settings: settings)
            } catch {
                throw BilanEngine.relative(error, folders: [staging: "", files: ""])
            }
        }
        switch outcome {
        case .saved(let saved, _):
            pending.remove(entry.token)
            try await services.audit(.importation, by: user, organisationID: record.organisationID, project: record.id,
                                     "\(entry.kind.label) « \(entry.uploadedName) », version \(saved.version)")
            return Pages.redirect("/projets/\(record.id)/fichiers?importe=oui")
        case .unchanged:
            pending.remove(entry.token)
            return Pages.redirect("/projets/\(record.id)/fichiers")
        case .stale(_, let since):
            var state = PageState()
            state.importKind = entry.kind.rawValue
            state.conflict = try await HistoryController.conflict(services, since)
            state.errors = ["Le projet a changé depuis le calcul du résumé : l'import n'est pas appliqué. Envoyez le fichier à nouveau pour voir son résumé sur la version actuelle."]
            pending.remove(entry.token)
            return try render(services, context, record, folder, state, status: .conflict)
        case .invalid(let error):
            var state = PageState()
            state.importKind = entry.kind.rawValue
            state.errors = BilanEngine.messages(error.diagnostics, uploaded: (entry.file, entry.uploadedName))
            pending.remove(entry.token)
            return try render(services, context, record, folder, state, status: .unprocessableContent)
        }
    }

    static func cancelImport(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, _, _, pending, entry) = try await pendingEntry(services, context)
        pending.remove(entry.token)
        return Pages.redirect("/projets/\(record.id)/fichiers")
    }

    // MARK: A whole project

    /// A CLI project folder, zipped, becomes a new project of the user's EPCI (the project's SIREN must be the EPCI's).
    static func importProject(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (user, creator, choices) = try await ProjectController.creatorEPCI(services, context)
        var organisation = creator
        func refuse(_ message: String, _ details: [String] = []) throws -> Response {
            try services.pages.render("importer", title: "Ouvrir un projet existant", [
                "erreurs": [["id": "champ-projet", "message": French.typography("Dossier du projet (zip) : " + message)]],
                "erreursMoteur": details, "epci": organisation.name,
            ], context: context, status: .unprocessableContent)
        }
        guard let file = context.files["projet"], !file.bytes.isEmpty else { return try refuse("choisissez le fichier zip du projet") }
        guard file.fileExtension == "zip", file.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            return try refuse("« \(file.name) » n'est pas une archive zip : compressez le dossier du projet au format zip")
        }
        let id = Token.random(bytes: 8)
        var record = ProjectRecord(id: id, organisationID: organisation.id, name: "", createdBy: user.id, created: Date())
        let unpacked: ProjectArchive.Contents
        do {
            unpacked = try ProjectArchive.read(file.bytes)
        } catch let error as ProjectArchive.Refusal {
            return try refuse(error.message)
        }
        // The project's own name: its bilan, as the list shows the others.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("plh-import-" + Token.random(bytes: 6))
        defer { try? FileManager.default.removeItem(at: scratch) }
        try unpacked.write(to: scratch)
        let loaded: LoadedProject
        do {
            loaded = try BilanEngine.load(scratch)
        } catch {
            return try refuse("le projet ne se charge pas : voyez les erreurs ci-dessous", BilanEngine.messages(error.diagnostics, uploaded: nil))
        }
        // A platform administrator opens it for the EPCI organisation of its SIREN.
        if let owner = choices.first(where: { $0.siren == loaded.project.epci.siren }) {
            organisation = owner
            record.organisationID = owner.id
        }
        guard loaded.project.epci.siren == organisation.siren else {
            return try refuse("ce projet est celui de \(loaded.project.epci.name) (SIREN \(loaded.project.epci.siren)), pas celui de \(organisation.name)")
        }
        let bilan = loaded.project.bilan
        record.name = "\(French.capitalised(French.kind(bilan.kind))) \(loaded.project.plan.years.lowerBound)-\(loaded.project.plan.years.upperBound) — \(loaded.project.epci.name)"
        let outcome = try await services.workspace.create(record, user: user, summary: "Ouverture de « \(file.name) »") { folder in
            try FileManager.default.removeItem(at: folder)
            try unpacked.write(to: folder)
        }
        guard case .saved = outcome else {
            if case .invalid(let error) = outcome { return try refuse("le projet ne se charge pas", BilanEngine.messages(error.diagnostics, uploaded: nil)) }
            throw WebError(.internalServerError, "Erreur interne", "Le projet n'a pas pu être créé.")
        }
        try await services.audit(.televersement, by: user, organisationID: organisation.id, project: id, "projet « \(file.name) » ouvert")
        return Pages.redirect("/projets/" + id)
    }
}
