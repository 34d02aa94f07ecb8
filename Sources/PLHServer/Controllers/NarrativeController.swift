import Foundation
import HTTPTypes
import Hummingbird
import PLHBilan

/// The narratives (récits) of a project: their list, the editor with the figures they may cite, its preview
/// rendered by the engine as in the bilan, and the save that makes a new version.
///
/// A narrative is addressed by its rank in the loader's list (`BilanEngine.narratives`), never by a path from the URL.
/// Without JavaScript the « Prévisualiser » button re-renders the page with the preview; `recit.js` posts the
/// text to `…/apercu` after each pause in typing and replaces the preview with the answer.
enum NarrativeController {
    static let routes: [Route] = [
        Route(.get, "/projets/:project/recits", list),
        Route(.get, "/projets/:project/recits/:recit", edit),
        Route(.post, "/projets/:project/recits/:recit", submit),
        Route(.post, "/projets/:project/recits/:recit/apercu", preview),
        Route(.get, "/static/recit.js") { services, _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: services.pages.narrativeScript))
        },
    ]

    /// The editor's policy: the site's, with its own script and the preview's requests.
    static let editorPolicy = SecurityHeadersMiddleware.policy + "; script-src 'self'; connect-src 'self'"

    /// The project of the URL (perimeter applied) and its current version, loaded through the cache.
    static func loaded(_ services: Services, _ context: WebContext) async throws -> (ProjectRecord, ProjectCache.Entry) {
        let (record, folder) = try await ProjectController.project(services, context)
        do {
            return (record, try await services.projects.entry(record, folder: folder))
        } catch let error as BilanError {
            throw WebError(.unprocessableContent, "Projet illisible",
                           "Le projet ne se charge pas : " + error.diagnostics.map(\.description).joined(separator: " ; "))
        }
    }

    /// The narrative of the URL's rank; 404 when there is none.
    static func narrative(_ entry: ProjectCache.Entry, _ context: WebContext) throws -> BilanEngine.NarrativeEntry {
        guard let rank = context.parameters.get("recit").flatMap(Int.init), rank >= 1, rank <= entry.narratives.count else {
            throw WebError.notFound
        }
        return entry.narratives[rank - 1]
    }

    static func list(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, entry) = try await loaded(services, context)
        let rows = entry.narratives.map { n -> [String: Any] in
            ["rang": n.rank, "orientation": n.orientation, "section": n.section, "fichier": n.narrative.path,
             "aRediger": !Markdown.hasText(n.narrative.markdown)]
        }
        return try services.pages.render("recits", title: "Récits — " + record.name,
                                         ["id": record.id, "nom": record.name, "recits": rows], context: context)
    }

    static func edit(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, entry) = try await loaded(services, context)
        let narrative = try narrative(entry, context)
        var state = Editor(record: record, entry: entry, narrative: narrative, text: narrative.narrative.markdown)
        state.version = record.version
        state.preview = BilanEngine.preview(state.text, of: narrative, figures: entry.figures)
        switch request.uri.queryParameters.get("enregistre") {
        case "oui": state.message = "Récit enregistré : c'est la version \(record.version) du projet."
        case "inchange": state.message = "Le texte n'a pas changé : rien n'a été enregistré."
        default: break
        }
        return try page(services, context, state)
    }

    /// « Prévisualiser » (the page again, with the preview) or « Enregistrer » (a new version).
    static func submit(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, entry) = try await loaded(services, context)
        let narrative = try narrative(entry, context)
        let user = try context.requireUser()
        let text = normalised(context.form["texte"] ?? "")
        var state = Editor(record: record, entry: entry, narrative: narrative, text: text)
        state.version = HistoryController.baseVersion(context)
        let preview = BilanEngine.preview(text, of: narrative, figures: entry.figures)
        state.preview = preview
        guard context.form.text("action") == "enregistrer" else { return try page(services, context, state) }
        guard ProjectController.mayEdit(context, record) else { throw WebError.notAllowed }
        // The bilan refuses a narrative citing an unknown figure: so does the save, before writing anything.
        // The figures come from the data, not the narratives: the current version's are those of the save.
        guard preview.errors.isEmpty else { return try page(services, context, state, status: .unprocessableContent) }
        let path = narrative.narrative.path
        let encoding = entry.loaded.encoding
        let outcome = try await services.workspace.save(record, base: state.version, user: user,
                                                        summary: "Récit « \(narrative.section) » modifié") { folder in
            try write(text, to: path, in: folder, encoding: encoding)
        }
        switch outcome {
        case .saved(let saved, let warnings):
            try await services.audit(.modification, by: user, organisationID: record.organisationID, project: record.id,
                                     "récit \(path), version \(saved.version)")
            guard warnings.isEmpty else {
                state.version = saved.version
                state.message = "Récit enregistré : c'est la version \(saved.version) du projet."
                state.warnings = warnings.map(\.description)
                return try page(services, context, state)
            }
            return Pages.redirect("/projets/\(record.id)/recits/\(narrative.rank)?enregistre=oui")
        case .unchanged:
            return Pages.redirect("/projets/\(record.id)/recits/\(narrative.rank)?enregistre=inchange")
        case .stale(_, let since):
            state.conflict = try await HistoryController.conflict(services, since)
            return try page(services, context, state, status: .conflict)
        case .invalid(let error):
            state.engineErrors = error.diagnostics.map(\.description)
            return try page(services, context, state, status: .unprocessableContent)
        }
    }

    /// The preview alone, for `recit.js`: the HTML the engine makes of the posted text.
    static func preview(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (_, entry) = try await loaded(services, context)
        let narrative = try narrative(entry, context)
        let preview = BilanEngine.preview(normalised(context.form["texte"] ?? ""), of: narrative, figures: entry.figures)
        return try services.pages.fragment("apercu-recit", previewValues(narrative, preview))
    }

    /// What the editor page shows, kept across a refused save.
    struct Editor {
        let record: ProjectRecord
        let entry: ProjectCache.Entry
        let narrative: BilanEngine.NarrativeEntry
        var text: String
        var version = 0
        var preview: NarrativePreview?
        var message: String?
        var warnings: [String] = []
        var engineErrors: [String] = []
        var conflict: [[String: Any]] = []
    }

    static func page(_ services: Services, _ context: WebContext, _ state: Editor,
                     status: HTTPResponse.Status = .ok) throws -> Response {
        let n = state.narrative
        let figureErrors = state.preview?.errors.map(describe) ?? []
        var values: [String: Any] = [
            "id": state.record.id, "nom": state.record.name, "version": state.version, "rang": n.rank,
            "orientation": n.orientation, "section": n.section, "fichier": n.narrative.path, "texte": state.text,
            "groupes": figureGroups(state.entry), "avertissements": state.warnings, "erreursMoteur": state.engineErrors,
            "conflit": state.conflict, "peutModifier": ProjectController.mayEdit(context, state.record),
            "erreursChiffres": figureErrors, "exempleBalise": "{{EPCI.ensemble.taux_plan}}",
            "erreurs": figureErrors.isEmpty ? [] : [["id": "champ-texte", "message": French.typography(
                "Texte du récit : " + French.count(figureErrors.count, "chiffre inconnu", "chiffres inconnus"))]],
        ]
        if let message = state.message { values["message"] = message }
        if let preview = state.preview { values["apercu"] = previewValues(n, preview) }
        var response = try services.pages.render("recit", title: "Récit — " + n.section, values, context: context, status: status)
        response.headers[HTTPField.Name("Content-Security-Policy")!] = editorPolicy
        return response
    }

    /// The preview's values (`apercu-recit.mustache`): the section's title, its HTML from the engine, what it lacks.
    static func previewValues(_ n: BilanEngine.NarrativeEntry, _ preview: NarrativePreview) -> [String: Any] {
        let errors = preview.errors.map(describe), warnings = preview.warnings.map(describe)
        return ["section": n.section, "html": preview.html, "erreursChiffres": errors, "erreursChiffres_present": !errors.isEmpty,
                "avertissementsApercu": warnings, "avertissementsApercu_present": !warnings.isEmpty]
    }

    /// A diagnostic of the narrative as the editor words it: the line and column in the text, not the file.
    static func describe(_ diagnostic: Diagnostic) -> String {
        var text = ""
        if let line = diagnostic.location?.line {
            text = "ligne \(line)" + (diagnostic.location?.column.map { ", colonne \($0)" } ?? "") + " : "
        }
        text += diagnostic.message
        if let hint = diagnostic.hint {
            text += hint.hasPrefix("plh-bilan chiffres") ? " (la liste des chiffres ci-dessous donne les noms permis)" : " — " + hint
        }
        return French.typography(text)
    }

    /// The figures the text may cite, grouped by what they describe: context, the EPCI, each category, each commune.
    static func figureGroups(_ entry: ProjectCache.Entry) -> [[String: Any]] {
        let project = entry.loaded.project
        var labels: [String: String] = ["EPCI": "Ensemble de l'EPCI"]
        for category in project.categories { labels[category.code] = "Catégorie : " + category.label }
        for commune in project.communes { labels[commune.code] = "Commune : \(commune.name) (\(commune.code))" }
        var groups: [(key: String, rows: [[String: Any]])] = []
        for (name, value) in entry.figures.names {
            let first = String(name.prefix { $0 != "." })
            let key = labels[first] == nil ? "contexte" : first
            let row: [String: Any] = ["balise": "{{" + name + "}}", "valeur": value]
            if let index = groups.firstIndex(where: { $0.key == key }) { groups[index].rows.append(row) } else { groups.append((key, [row])) }
        }
        return groups.enumerated().map { index, group in
            ["titre": labels[group.key] ?? "Le bilan, le plan, l'EPCI", "chiffres": group.rows, "ouvert": index < 2]
        }
    }

    /// The text as a file keeps it: a browser sends CRLF line ends, the project's files have LF.
    static func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Writes the narrative into the version being saved, in the encoding the project declares.
    static func write(_ text: String, to path: String, in folder: URL, encoding: TextEncoding?) throws {
        let url = try ProjectFolder(folder.path, displayPath: ".").resolve(path, referencedAt: nil)
        let data: Data?
        switch encoding {
        case .windows1252: data = text.data(using: .windowsCP1252)
        case .utf8BOM: data = Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        case .utf8, nil: data = Data(text.utf8)
        }
        guard let data else {
            throw BilanError(.input, at: SourceLocation(path: path),
                             "le texte contient des caractères que l'encodage Windows-1252 du projet ne peut pas écrire",
                             hint: "déclarez fichiers.encodage: utf-8 dans plh.yaml, ou retirez ces caractères")
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
