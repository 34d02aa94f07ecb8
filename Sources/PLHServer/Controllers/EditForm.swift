import Foundation
import HTTPTypes
import Hummingbird
import PLHBilan

/// One cell of an editing grid (`grille.mustache`): a text, or a control named for the form, with its error.
struct Cell {
    enum Kind {
        case text
        case input(type: String)
        case select([(String, String)])
        case checkbox
    }

    var kind: Kind
    var name = ""
    var value = ""
    /// The control's accessible name (tables have no <label> per cell).
    var label = ""
    var error: String?

    static func text(_ value: String) -> Cell { Cell(kind: .text, value: value) }

    var object: [String: Any] {
        var object: [String: Any] = ["champ": name, "idChamp": "champ-" + name, "valeur": value, "libelle": label,
                                     "estTexte": false, "estSaisie": false, "estListe": false, "estCase": false]
        switch kind {
        case .text: object["estTexte"] = true
        case .input(let type): object["estSaisie"] = true; object["type"] = type
        case .select(let options):
            object["estListe"] = true
            var listed = options
            if !value.isEmpty && !options.contains(where: { $0.0 == value }) { listed.insert((value, value), at: 0) }
            object["choix"] = listed.map { ["valeur": $0.0, "libelleChoix": $0.1, "choisi": $0.0 == value] }
        case .checkbox: object["estCase"] = true; object["coche"] = !value.isEmpty
        }
        if let error { object["erreur"] = French.typography(error); object["idErreur"] = "erreur-" + name }
        return object
    }
}

/// A table of cells with its caption and column headings.
struct Grid {
    var caption: String
    var columns: [String]
    var rows: [[Cell]]

    var object: [String: Any] {
        ["legende": caption, "colonnes": columns, "lignes": rows.map { ["cellules": $0.map(\.object)] }]
    }
}

/// What the editing pages share: reaching a project to edit, saving through the workspace, and placing the
/// engine's diagnostics next to the fields they concern.
enum EditForm {
    /// The project, for a user who may change it (readers get 403).
    static func editable(_ services: Services, _ context: WebContext) async throws -> (ProjectRecord, URL, User) {
        let (record, folder) = try await ProjectController.editableProject(services, context)
        return (record, folder, try context.requireUser())
    }

    /// A diagnostic as a message for a field: what is wrong, then how to fix it.
    static func message(_ diagnostic: Diagnostic) -> String {
        (diagnostic.message + (diagnostic.hint.map { " — " + $0 } ?? "")).withoutControlCharacters
    }

    /// The engine's diagnostics placed: each error at the field `field(for:)` names, the others in the summary
    /// only (linked to the form). Returns the errors by field name and the summary (`erreurs` of `entete`).
    static func place(_ diagnostics: [Diagnostic], field: (Diagnostic) -> String?) -> ([String: String], [[String: Any]]) {
        var byField: [String: String] = [:]
        var summary: [[String: Any]] = []
        for diagnostic in diagnostics where diagnostic.severity == .error {
            let text = message(diagnostic)
            if let name = field(diagnostic) {
                byField[name] = byField[name].map { $0 + " ; " + text } ?? text
                summary.append(["id": "champ-" + name, "message": French.typography(text)])
            } else {
                let place = diagnostic.location.map { "\($0) : " } ?? ""
                summary.append(["id": "formulaire", "message": French.typography(place + text)])
            }
        }
        return (byField, summary)
    }

    /// What a save came to, for the page: the status, the values to add (summary, conflict, confirmation), the
    /// errors by field, and whether the form's values are to be kept (anything but a save).
    struct Result {
        var status: HTTPResponse.Status = .ok
        var values: [String: Any] = [:]
        var errors: [String: String] = [:]
        var keepTyped = false
        var version: Int
    }

    /// Saves through the workspace and words the four outcomes; `field` places the engine's errors.
    static func save(_ services: Services, _ context: WebContext, _ record: ProjectRecord, user: User, summary: String,
                     field: @escaping (Diagnostic) -> String?,
                     edit: @escaping @Sendable (URL) throws -> Void) async throws -> Result {
        let outcome = try await services.workspace.save(record, base: HistoryController.baseVersion(context), user: user,
                                                        summary: summary, edit: edit)
        var result = Result(version: record.version)
        switch outcome {
        case .saved(let saved, let warnings):
            try await services.audit(.modification, by: user, organisationID: record.organisationID, project: record.id,
                                     "\(summary), version \(saved.version)")
            result.version = saved.version
            result.values["enregistre"] = "Enregistré : version \(saved.version) du projet."
            result.values["avertissements"] = warnings.map(message)
        case .unchanged(let current):
            result.version = current.version
            result.values["enregistre"] = "Rien à enregistrer : les valeurs sont celles de la version actuelle."
        case .stale(let current, let since):
            result.status = .conflict
            result.keepTyped = true
            result.version = current.version
            result.values["conflit"] = try await HistoryController.conflict(services, since)
        case .invalid(let error):
            result.status = .unprocessableContent
            result.keepTyped = true
            let (errors, list) = place(error.diagnostics, field: field)
            result.errors = errors
            result.values["erreurs"] = list
        }
        return result
    }

    /// Renders `grille.mustache`: fields above, then the grids, in one form posted to `action`.
    static func page(_ services: Services, _ context: WebContext, _ record: ProjectRecord, title: String, action: String,
                     intro: String, fields: [Field] = [], grids: [Grid], result: Result?, extra: [String: Any] = [:]) throws -> Response {
        var values: [String: Any] = ["id": record.id, "nom": record.name, "action": action, "intro": intro,
                                     "champs": fields.objects, "tableaux": grids.map(\.object),
                                     "version": result?.version ?? record.version,
                                     "peutModifier": ProjectController.mayEdit(context, record)]
        for (key, value) in result?.values ?? [:] { values[key] = value }
        for (key, value) in extra { values[key] = value }
        return try services.pages.render("grille", title: title, values, context: context, status: result?.status ?? .ok)
    }
}
