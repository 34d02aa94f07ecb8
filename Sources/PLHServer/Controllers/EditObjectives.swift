import Foundation
import Hummingbird
import PLHBilan

/// The objectives grid, categories × segments, typed in the browser: what objectifs.csv says per category.
///
/// A row per category, a cell per segment (dwellings; empty = no objective) and the period of the row's figures
/// (per year or for the whole plan). Objectives set per commune (`code_insee` filled) are kept as they are and listed.
extension EditController {
    static let objectiveRoutes: [Route] = [
        Route(.get, "/projets/:project/objectifs", objectives),
        Route(.post, "/projets/:project/objectifs", saveObjectives),
    ]

    static let periods: [(String, String)] = [("an", "par an"), ("plan", "sur toute la durée du plan")]

    static func objectives(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        return try objectivesPage(services, context, record, folder: folder, typed: nil, result: nil,
                                  communeGrid: request.uri.queryParameters.get("communes") == "oui")
    }

    /// A category's row of objectifs.csv (not a commune's).
    static func isCategoryRow(_ table: EditableTable, _ row: Int) -> Bool {
        !table.value(row, "categorie").isEmpty && table.value(row, "code_insee").isEmpty
    }

    static func saveObjectives(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        let planFile = try BilanEngine.planFile(folder)
        let categories = planFile.sequence(["categories"]).compactMap { $0["code"] }
        let segments = planFile.sequence(["segments"]).compactMap { $0["code"] }
        var table = try BilanEngine.table(folder, "objectifs", plan: planFile)
        for column in ["categorie", "segment", "logements", "periode"] where !table.has(column) { table.addColumn(column) }
        // The category rows are written again from the grid; the communes' rows too when the form shows them.
        let communeGrid = form["grille_communes"] == "oui"
        table.remove(lines: Set(table.rows.indices.filter { isCategoryRow(table, $0) || communeGrid }.map { table.rows[$0].line }))
        var origins: [Int: (category: String, segment: String)] = [:]
        var communeOrigins: [Int: (commune: String, segment: String)] = [:]
        for category in categories {
            let period = form.text("periode_categorie_\(category)")
            for segment in segments {
                let value = form.text("objectif_categorie_\(category)_\(segment)").replacingOccurrences(of: " ", with: "")
                guard !value.isEmpty else { continue }
                let index = table.append([("categorie", category), ("segment", segment), ("logements", value),
                                          ("periode", period.isEmpty ? "an" : period)])
                origins[index] = (category, segment)
            }
        }
        if communeGrid {
            let communes = try BilanEngine.table(folder, "communes", plan: planFile)
            if !table.has("code_insee") { table.addColumn("code_insee") }
            for row in communes.rows.indices {
                let commune = communes.value(row, "code_insee")
                let period = form.text("periode_commune_\(commune)")
                for segment in segments {
                    let value = form.text("objectif_commune_\(commune)_\(segment)").replacingOccurrences(of: " ", with: "")
                    guard !value.isEmpty else { continue }
                    let index = table.append([("code_insee", commune), ("segment", segment), ("logements", value),
                                              ("periode", period.isEmpty ? "an" : period)])
                    communeOrigins[index] = (commune, segment)
                }
            }
        }
        let edited = table
        let written = try EditableTable(bytes: Array(edited.csvText.utf8), file: edited.csvFileName)
        let result = try await EditForm.save(services, context, record, user: user, summary: "Objectifs",
                                             field: { diagnostic in
            guard let (line, column) = written.cell(at: diagnostic.location), let index = written.index(ofLine: line) else { return nil }
            let isPeriod = normalisedName(column ?? "") == "periode"
            if let origin = communeOrigins[index] {
                return isPeriod ? "periode_commune_\(origin.commune)" : "objectif_commune_\(origin.commune)_\(origin.segment)"
            }
            guard let origin = origins[index] else { return nil }
            return isPeriod ? "periode_categorie_\(origin.category)" : "objectif_categorie_\(origin.category)_\(origin.segment)"
        }) { staging in
            try BilanEngine.write(edited, key: "objectifs", into: staging)
        }
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try objectivesPage(services, context, record, folder: current, typed: result.keepTyped ? form : nil, result: result,
                                  communeGrid: communeGrid)
    }

    static func objectivesPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL,
                               typed: Form?, result: EditForm.Result?, communeGrid wanted: Bool = false) throws -> Response {
        let planFile = try BilanEngine.planFile(folder)
        let categories = planFile.sequence(["categories"]).compactMap { item in item["code"].map { ($0, item["libelle"] ?? $0) } }
        let segments = planFile.sequence(["segments"]).compactMap { item in item["code"].map { ($0, item["libelle"] ?? $0) } }
        let table = try BilanEngine.table(folder, "objectifs", plan: planFile)
        var values: [String: String] = [:], periodOf: [String: String] = [:]
        var communeRows = 0
        var communeValues: [String: String] = [:], communePeriod: [String: String] = [:]
        for row in table.rows.indices {
            guard isCategoryRow(table, row) else {
                communeRows += 1
                let commune = table.value(row, "code_insee"), segment = table.value(row, "segment")
                communeValues["\(commune)_\(segment)"] = communeValues["\(commune)_\(segment)"] ?? table.value(row, "logements")
                communePeriod[commune] = communePeriod[commune] ?? table.value(row, "periode")
                continue
            }
            let category = table.value(row, "categorie"), segment = table.value(row, "segment")
            values["\(category)_\(segment)"] = values["\(category)_\(segment)"] ?? table.value(row, "logements")
            periodOf[category] = periodOf[category] ?? table.value(row, "periode")
        }
        let rows = categories.map { category, label -> [Cell] in
            var cells: [Cell] = [.text(label)]
            for (segment, segmentLabel) in segments {
                let name = "objectif_categorie_\(category)_\(segment)"
                cells.append(Cell(kind: .input(type: "text"), name: name, value: typed?.text(name) ?? values["\(category)_\(segment)"] ?? "",
                                  label: "\(segmentLabel), \(label)", error: result?.errors[name]))
            }
            let period = "periode_categorie_\(category)"
            cells.append(Cell(kind: .select(periods), name: period, value: typed?.text(period) ?? periodOf[category] ?? "an",
                              label: "Période des objectifs, \(label)", error: result?.errors[period]))
            return cells
        }
        var grids = [Grid(caption: "Objectifs par catégorie (logements)", columns: ["Catégorie"] + segments.map(\.1) + ["Période"], rows: rows)]
        let showCommunes = wanted || communeRows > 0 || typed?["grille_communes"] == "oui"
        if showCommunes {
            let communes = try BilanEngine.table(folder, "communes", plan: planFile)
            let communeRows = communes.rows.indices.map { row -> [Cell] in
                let commune = communes.value(row, "code_insee"), name = communes.value(row, "commune")
                var cells: [Cell] = [.text("\(name) (\(commune))")]
                for (segment, segmentLabel) in segments {
                    let field = "objectif_commune_\(commune)_\(segment)"
                    cells.append(Cell(kind: .input(type: "text"), name: field, value: typed?.text(field) ?? communeValues["\(commune)_\(segment)"] ?? "",
                                      label: "\(segmentLabel), \(name)", error: result?.errors[field]))
                }
                let period = "periode_commune_\(commune)"
                cells.append(Cell(kind: .select(periods), name: period, value: typed?.text(period) ?? communePeriod[commune] ?? "an",
                                  label: "Période des objectifs, \(name)", error: result?.errors[period]))
                return cells
            }
            grids.append(Grid(caption: "Objectifs par commune (logements)", columns: ["Commune"] + segments.map(\.1) + ["Période"],
                              rows: communeRows))
        }
        let intro = "Le nombre de logements visé par catégorie de communes et par segment, par an ou sur toute la durée du plan ; une case vide n'est pas un objectif."
            + (showCommunes ? " La seconde grille fixe des objectifs par commune." : "")
        return try EditForm.page(services, context, record, title: "Objectifs — " + record.name,
                                 action: "/projets/\(record.id)/objectifs", intro: intro, grids: grids, result: result,
                                 extra: showCommunes ? ["grilleCommunes": true]
                                     : ["lienCommunes": "/projets/\(record.id)/objectifs?communes=oui"])
    }
}
