import Foundation
import Hummingbird
import PLHBilan

/// A project's history: every version, who saved it, when and what it changed; restoring one is a new save.
///
/// Every editing form carries the version it was made on (`version`, see `version.mustache`); a save made on a
/// version replaced since is refused, and `conflict(_:_:)` tells the user what changed (`conflit.mustache`).
enum HistoryController {
    static let routes: [Route] = [
        Route(.get, "/projets/:project/historique", history),
        Route(.post, "/projets/:project/historique/:number/restaurer", restore),
    ]

    static func history(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, _) = try await ProjectController.project(services, context)
        let versions = try await services.store.versions(projectID: record.id)
        var rows: [[String: Any]] = []
        for version in versions {
            var row = try await describe(services, version)
            row["courante"] = version.number == record.version
            row["restaurable"] = ProjectController.mayEdit(context, record) && version.number != record.version
            rows.append(row)
        }
        return try services.pages.render("historique", title: "Historique — " + record.name, [
            "id": record.id, "nom": record.name, "version": record.version, "versions": rows,
        ], context: context)
    }

    static func restore(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, _) = try await ProjectController.editableProject(services, context)
        let user = try context.requireUser()
        guard let number = context.parameters.get("number").flatMap(Int.init) else { throw WebError.notFound }
        let outcome = try await services.workspace.restore(record, number: number, base: baseVersion(context), user: user)
        switch outcome {
        case .saved(let saved, _):
            try await services.audit(.restauration, by: user, organisationID: record.organisationID, project: record.id,
                                     "version \(number) rétablie comme version \(saved.version)")
            return Pages.redirect("/projets/\(record.id)/historique")
        case .unchanged:
            return Pages.redirect("/projets/\(record.id)/historique")
        case .stale(_, let since):
            return try await services.pages.render("message", title: "Version dépassée", [
                "message": "Le projet a changé depuis l'affichage de l'historique : rien n'a été rétabli. Voici ce qui a changé ; rechargez l'historique pour choisir à nouveau.",
                "conflit": try await conflict(services, since),
            ], context: context, status: .conflict)
        case .invalid(let error):
            return try services.pages.render("message", title: "Version non rétablie", [
                "message": "Cette version ne se charge plus avec la version actuelle de PLH Bilan : rien n'a été rétabli.",
                "erreurs": error.diagnostics.map(\.description),
            ], context: context, status: .unprocessableContent)
        }
    }

    /// The version a form was made on (its hidden `version` field); 0 when missing, which is always stale.
    static func baseVersion(_ context: WebContext) -> Int {
        Int(context.form.text("version")) ?? 0
    }

    /// A version as pages show it: number, date and time, author, summary, files.
    static func describe(_ services: Services, _ version: ProjectVersion) async throws -> [String: Any] {
        let author = try await services.store.user(id: version.userID)
        return ["numero": version.number, "quand": French.dateTime(version.created), "qui": author?.name ?? "compte supprimé",
                "resume": version.summary, "fichiers": version.files.joined(separator: ", ")]
    }

    /// The versions saved since the one a refused form was made on, for `conflit.mustache`.
    static func conflict(_ services: Services, _ since: [ProjectVersion]) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for version in since { rows.append(try await describe(services, version)) }
        return rows
    }
}
