import Foundation
import Hummingbird
import PLHBilan

/// The production segments of the plan (code, libellé, famille), edited in a grid: what `segments:` of plh.yaml
/// declares. Keys the form does not show (`sitadel:`, which routes Sitadel permits) stay with their segment's code.
extension EditController {
    static let segmentRoutes: [Route] = [
        Route(.get, "/projets/:project/segments", segments),
        Route(.post, "/projets/:project/segments", saveSegments),
    ]

    /// Empty rows offered to add segments in one save.
    static let newSegments = 3

    static func segments(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        return try segmentsPage(services, context, record, folder: folder, typed: nil, result: nil)
    }

    static func saveSegments(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        let planFile = try BilanEngine.planFile(folder)
        let declared = planFile.sequence(["segments"])
        var items: [[(String, String)]] = []
        for i in 0..<(declared.count + newSegments) where form.text("segment_supprimer_\(i)").isEmpty {
            let code = form.text("segment_code_\(i)"), label = form.text("segment_libelle_\(i)"), family = form.text("segment_famille_\(i)")
            if code.isEmpty && label.isEmpty && family.isEmpty { continue }
            var item: [(String, String)] = [("code", code), ("libelle", label)]
            if !family.isEmpty { item.append(("famille", family)) }
            // What the form does not show stays with the segment of the same code.
            if let previous = declared.first(where: { $0["code"] == code }) {
                for key in previous.keys.sorted() where !["code", "libelle", "famille"].contains(key) {
                    item.append((key, previous[key] ?? ""))
                }
            }
            items.append(item)
        }
        var plan = planFile
        plan.setSequence(["segments"], items)
        let planText = plan.text
        let writtenPlan = try PlanFile(text: planText, path: ProjectLoader.planFileName)
        let result = try await EditForm.save(services, context, record, user: user, summary: "Segments de production",
                                             field: { diagnostic in
            guard diagnostic.location?.path == ProjectLoader.planFileName, let line = diagnostic.location?.line,
                  let path = writtenPlan.path(atLine: line), path.count >= 2, path[0] == "segments", let index = Int(path[1])
            else { return nil }
            let key = path.count == 3 && ["code", "libelle", "famille"].contains(path[2]) ? path[2] : "code"
            // The index in the written list is the index among the rows kept: find the form row it came from.
            var kept = -1
            for i in 0..<(declared.count + newSegments) where form.text("segment_supprimer_\(i)").isEmpty {
                if form.text("segment_code_\(i)").isEmpty && form.text("segment_libelle_\(i)").isEmpty
                    && form.text("segment_famille_\(i)").isEmpty { continue }
                kept += 1
                if kept == index { return "segment_\(key)_\(i)" }
            }
            return nil
        }) { staging in
            try BilanEngine.writePlan(planText, into: staging)
        }
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try segmentsPage(services, context, record, folder: current, typed: result.keepTyped ? form : nil, result: result)
    }

    static func segmentsPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL,
                             typed: Form?, result: EditForm.Result?) throws -> Response {
        let declared = try BilanEngine.planFile(folder).sequence(["segments"])
        var rows: [[Cell]] = []
        for i in 0..<(declared.count + newSegments) {
            let existing = i < declared.count
            let what = existing ? "segment \(i + 1)" : "nouveau segment \(i - declared.count + 1)"
            func cell(_ key: String, _ label: String) -> Cell {
                let name = "segment_\(key)_\(i)"
                return Cell(kind: .input(type: "text"), name: name, value: typed?.text(name) ?? (existing ? declared[i][key] ?? "" : ""),
                            label: "\(label), \(what)", error: result?.errors[name])
            }
            rows.append([cell("code", "Code"), cell("libelle", "Libellé"), cell("famille", "Famille"),
                         existing ? Cell(kind: .checkbox, name: "segment_supprimer_\(i)", value: typed?.text("segment_supprimer_\(i)") ?? "",
                                         label: "Supprimer le \(what)") : .text("")])
        }
        return try EditForm.page(services, context, record, title: "Segments de production — " + record.name,
                                 action: "/projets/\(record.id)/segments",
                                 intro: "Les segments suivis dans les objectifs et la production (les trois dernières lignes en ajoutent). La famille (locatif social, accession, locatif privé) regroupe des segments dans les constats. Un segment encore cité par les objectifs ou la production ne peut pas être supprimé.",
                                 grids: [Grid(caption: "Segments du plan", columns: ["Code", "Libellé", "Famille", "Supprimer"], rows: rows)],
                                 result: result)
    }
}
