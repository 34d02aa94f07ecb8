import Foundation
import Hummingbird
import PLHBilan

/// Editing a project in forms, never in YAML: the communes' categories, the production table, the plan.
///
/// Every page reads the current version's files (`EditableTable`, `PlanFile`), and every save writes them into the
/// workspace's staging copy, which the engine validates; its errors come back next to the cell they concern.
enum EditController {
    static let routes: [Route] = [
        Route(.get, "/projets/:project/categories", categories),
        Route(.post, "/projets/:project/categories", saveCategories),
        Route(.get, "/projets/:project/production", production),
        Route(.post, "/projets/:project/production", saveProduction),
        Route(.get, "/projets/:project/plan", plan),
        Route(.post, "/projets/:project/plan", savePlan),
    ]

    // MARK: Categories of communes

    static func categories(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        return try categoriesPage(services, context, record, folder: folder, typed: nil, result: nil)
    }

    static func saveCategories(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        let planFile = try BilanEngine.planFile(folder)
        var table = try BilanEngine.table(folder, "communes", plan: planFile)
        for row in table.rows.indices {
            let code = table.value(row, "code_insee")
            if let chosen = form["categorie_" + code] { table.set(row, "categorie", chosen.trimmingCharacters(in: .whitespaces)) }
        }
        // The list of categories, when the form carries it: kept rows, then the new one if filled.
        var plan = planFile
        let declared = planFile.sequence(["categories"])
        if form["code_0"] != nil {
            var items: [[(String, String)]] = []
            for i in 0...declared.count where form.text("supprimer_\(i)").isEmpty {
                let code = form.text("code_\(i)"), label = form.text("libelle_\(i)"), description = form.text("description_\(i)")
                if code.isEmpty && label.isEmpty && description.isEmpty { continue }
                items.append([("code", code), ("libelle", label)] + (description.isEmpty ? [] : [("description", description)]))
            }
            plan.setSequence(["categories"], items)
        }
        let edited = table, planText = plan.text, planChanged = plan.text != planFile.text
        let written = try EditableTable(bytes: Array(edited.csvText.utf8), file: edited.csvFileName)
        let writtenPlan = try PlanFile(text: planText, path: ProjectLoader.planFileName)
        let result = try await EditForm.save(services, context, record, user: user, summary: "Catégories des communes",
                                             field: { diagnostic in
            if diagnostic.location?.path == ProjectLoader.planFileName, let line = diagnostic.location?.line,
               let path = writtenPlan.path(atLine: line), path.count == 3, path[0] == "categories",
               ["code", "libelle", "description"].contains(path[2]) {
                return path[2] + "_" + path[1]
            }
            guard let (line, _) = written.cell(at: diagnostic.location), let index = written.index(ofLine: line) else { return nil }
            return "categorie_" + written.value(index, "code_insee")
        }) { staging in
            if planChanged { try BilanEngine.writePlan(planText, into: staging) }
            try BilanEngine.write(edited, key: "communes", into: staging)
        }
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try categoriesPage(services, context, record, folder: current, typed: result.keepTyped ? form : nil, result: result)
    }

    static func categoriesPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL,
                               typed: Form?, result: EditForm.Result?) throws -> Response {
        let planFile = try BilanEngine.planFile(folder)
        let table = try BilanEngine.table(folder, "communes", plan: planFile)
        let options = planFile.sequence(["categories"]).compactMap { item in item["code"].map { ($0, item["libelle"] ?? $0) } }
        let rows = table.rows.indices.map { row -> [Cell] in
            let code = table.value(row, "code_insee"), name = table.value(row, "commune")
            let field = "categorie_" + code
            return [.text(code), .text(name), .text(table.value(row, "population")),
                    Cell(kind: .select(options), name: field, value: typed?.text(field) ?? table.value(row, "categorie"),
                         label: "Catégorie de \(name)", error: result?.errors[field])]
        }
        let declared = planFile.sequence(["categories"])
        var categoryRows: [[Cell]] = []
        for i in 0...declared.count {
            let existing = i < declared.count
            let what = existing ? "catégorie \(i + 1)" : "nouvelle catégorie"
            func cell(_ key: String, _ label: String) -> Cell {
                let name = "\(key)_\(i)"
                return Cell(kind: .input(type: "text"), name: name, value: typed?.text(name) ?? (existing ? declared[i][key] ?? "" : ""),
                            label: "\(label), \(what)", error: result?.errors[name])
            }
            categoryRows.append([cell("code", "Code"), cell("libelle", "Libellé"), cell("description", "Description"),
                                 existing ? Cell(kind: .checkbox, name: "supprimer_\(i)", value: typed?.text("supprimer_\(i)") ?? "",
                                                 label: "Supprimer la \(what)") : .text("")])
        }
        return try EditForm.page(services, context, record, title: "Catégories des communes — " + record.name,
                                 action: "/projets/\(record.id)/categories",
                                 intro: "Déclarez les catégories de la typologie communale (la dernière ligne en ajoute une), puis choisissez la catégorie de chaque commune de l'EPCI ; une nouvelle catégorie apparaît dans les listes une fois enregistrée.",
                                 grids: [Grid(caption: "Catégories du plan", columns: ["Code", "Libellé", "Description", "Supprimer"],
                                              rows: categoryRows),
                                         Grid(caption: "Communes de l'EPCI (\(table.file))",
                                              columns: ["Code INSEE", "Commune", "Population", "Catégorie"], rows: rows)],
                                 result: result)
    }

    // MARK: Production

    static let pageSize = 100
    static let newRows = 3
    static let productionColumns = ["code_insee", "annee", "segment", "logements"]

    static func production(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        let page = request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1
        return try productionPage(services, context, record, folder: folder, page: page, typed: nil, result: nil)
    }

    static func saveProduction(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        let planFile = try BilanEngine.planFile(folder)
        var table = try BilanEngine.table(folder, "production", plan: planFile)
        // Rows of the page posted: those whose fields the form carries.
        var removed: Set<Int> = []
        for row in table.rows.indices {
            let line = table.rows[row].line
            for column in productionColumns {
                if let value = form["\(column)_\(line)"] { table.set(row, column, value.trimmingCharacters(in: .whitespaces)) }
            }
            if !form.text("supprimer_\(line)").isEmpty { removed.insert(line) }
        }
        // Where each written row comes from: its line in the file read, or the new row j.
        var origins = table.rows.filter { !removed.contains($0.line) }.map { "\($0.line)" }
        table.remove(lines: removed)
        for j in 1...newRows {
            let values = productionColumns.map { ($0, form.text("nouvelle_\($0)_\(j)")) }
            guard values.contains(where: { !$0.1.isEmpty }) else { continue }
            table.append(values)
            origins.append("n\(j)")
        }
        let edited = table
        let written = try EditableTable(bytes: Array(edited.csvText.utf8), file: edited.csvFileName)
        let result = try await EditForm.save(services, context, record, user: user, summary: "Production modifiée",
                                             field: { diagnostic in
            guard let (line, column) = written.cell(at: diagnostic.location), let index = written.index(ofLine: line),
                  index < origins.count else { return nil }
            let name = column.flatMap { c in productionColumns.first { normalisedName($0) == normalisedName(c) } } ?? "code_insee"
            let origin = origins[index]
            return origin.hasPrefix("n") ? "nouvelle_\(name)_\(origin.dropFirst())" : "\(name)_\(origin)"
        }) { staging in
            try BilanEngine.write(edited, key: "production", into: staging)
        }
        let page = Int(form.text("page")) ?? 1
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try productionPage(services, context, record, folder: current, page: page, typed: result.keepTyped ? form : nil,
                                  result: result)
    }

    static func productionPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL, page: Int,
                               typed: Form?, result: EditForm.Result?) throws -> Response {
        let planFile = try BilanEngine.planFile(folder)
        let table = try BilanEngine.table(folder, "production", plan: planFile)
        let pages = max(1, (table.rows.count + pageSize - 1) / pageSize)
        let page = min(max(page, 1), pages)
        let segments = planFile.sequence(["segments"]).compactMap { item in item["code"].map { ($0, item["libelle"] ?? $0) } }
        let labels = ["code_insee": "code INSEE", "annee": "année", "segment": "segment", "logements": "logements"]
        func cell(_ column: String, _ field: String, _ value: String, _ what: String) -> Cell {
            let kind: Cell.Kind = column == "segment" ? .select([("", "—")] + segments) : .input(type: "text")
            return Cell(kind: kind, name: field, value: typed?[field]?.trimmingCharacters(in: .whitespaces) ?? value,
                        label: "\(labels[column] ?? column), \(what)", error: result?.errors[field])
        }
        var rows: [[Cell]] = []
        for row in table.rows.indices.dropFirst((page - 1) * pageSize).prefix(pageSize) {
            let line = table.rows[row].line
            var cells = productionColumns.map { cell($0, "\($0)_\(line)", table.value(row, $0), "ligne \(line)") }
            cells.insert(.text(String(line)), at: 0)
            cells.append(.text(table.value(row, "source").isEmpty ? "saisie" : table.value(row, "source")))
            cells.append(Cell(kind: .checkbox, name: "supprimer_\(line)", value: typed?.text("supprimer_\(line)") ?? "",
                              label: "Supprimer la ligne \(line)"))
            rows.append(cells)
        }
        for j in 1...newRows {
            var cells = productionColumns.map { cell($0, "nouvelle_\($0)_\(j)", "", "nouvelle ligne \(j)") }
            cells.insert(.text("nouvelle"), at: 0)
            cells.append(.text("saisie"))
            cells.append(.text(""))
            rows.append(cells)
        }
        let links: [[String: Any]] = pages > 1 ? (1...pages).map {
            ["numero": $0, "courante": $0 == page, "lien": "/projets/\(record.id)/production?page=\($0)"]
        } : []
        return try EditForm.page(services, context, record, title: "Production — " + record.name,
                                 action: "/projets/\(record.id)/production",
                                 intro: "Les logements produits, par commune, année et segment ; la source dit d'où vient chaque ligne (import ou saisie). \(French.count(table.rows.count, "ligne")), \(pageSize) par page.",
                                 grids: [Grid(caption: "Production (\(table.file)), page \(page) sur \(pages)",
                                              columns: ["Ligne", "Code INSEE", "Année", "Segment", "Logements", "Source", "Supprimer"],
                                              rows: rows)],
                                 result: result, extra: ["page": page, "pages": links])
    }

    // MARK: Plan

    /// The plan's scalar fields: form name, key path in plh.yaml, label, whether required.
    static let planFields: [(name: String, path: [String], label: String, required: Bool)] = [
        ("sigle", ["epci", "sigle"], "Sigle de l'EPCI", false),
        ("nom", ["plh", "nom"], "Intitulé du plan", true),
        ("premiere_annee", ["plh", "premiere_annee"], "Première année du plan", true),
        ("derniere_annee", ["plh", "derniere_annee"], "Dernière année du plan", true),
        ("objectif_annuel", ["plh", "objectif_annuel"], "Objectif annuel de logements", false),
        ("type", ["bilan", "type"], "Type de bilan", true),
        ("date", ["bilan", "date"], "Date du bilan", true),
        ("instance", ["bilan", "instance"], "Instance à qui le bilan est présenté", false),
        ("date_instance", ["bilan", "date_instance"], "Date de la présentation", false),
        ("annees", ["bilan", "annees"], "Années comptées", true),
        ("stade", ["bilan", "stade"], "Stade de comptage", true),
        ("avertissement", ["bilan", "avertissement"], "Avertissement en tête du bilan", false),
        ("source", ["bilan", "source"], "Source des chiffres de production", false),
        ("couleur_principale", ["couleurs", "principale"], "Couleur principale de l'EPCI", false),
        ("couleur_claire", ["couleurs", "claire"], "Couleur claire (fond du sommaire)", false),
    ]

    static func plan(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        return try planPage(services, context, record, folder: folder, typed: nil, result: nil)
    }

    static func savePlan(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        var planFile = try BilanEngine.planFile(folder)
        for field in planFields where form[field.name] != nil {
            let value = form.text(field.name)
            planFile.set(field.path, value.isEmpty ? nil : value)
        }
        let milestones = planFile.sequence(["jalons"])
        var kept: [[(String, String)]] = []
        for i in 0...milestones.count {
            let date = form.text("jalon_date_\(i)"), label = form.text("jalon_libelle_\(i)")
            if !form.text("jalon_supprimer_\(i)").isEmpty || (date.isEmpty && label.isEmpty) { continue }
            kept.append([("date", date), ("libelle", label)])
        }
        planFile.setSequence(["jalons"], kept)
        let edited = planFile.text
        let written = try PlanFile(text: edited, path: ProjectLoader.planFileName)
        let result = try await EditForm.save(services, context, record, user: user, summary: "Plan et bilan",
                                             field: { diagnostic in
            guard diagnostic.location?.path == ProjectLoader.planFileName, let line = diagnostic.location?.line,
                  let path = written.path(atLine: line) else { return nil }
            if let field = planFields.first(where: { $0.path == path }) { return field.name }
            if path.count == 3, path[0] == "jalons" {
                return (path[2] == "libelle" ? "jalon_libelle_" : "jalon_date_") + path[1]
            }
            return nil
        }) { staging in
            try BilanEngine.writePlan(edited, into: staging)
        }
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try planPage(services, context, record, folder: current, typed: result.keepTyped ? form : nil, result: result)
    }

    static func planPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL, typed: Form?,
                         result: EditForm.Result?) throws -> Response {
        let planFile = try BilanEngine.planFile(folder)
        let fields = planFields.map { spec -> Field in
            var field = Field(name: spec.name, label: spec.label, value: typed?.text(spec.name) ?? planFile.string(spec.path) ?? "",
                              error: result?.errors[spec.name], required: spec.required)
            switch spec.name {
            case "type": field.type = "select"; field.options = BilanKind.allCases.map { ($0.rawValue, French.capitalised(French.kind($0))) }
            case "stade": field.options = CountingStage.allCases.map { ($0.code, French.capitalised($0.dwellings)) }
            case "date", "date_instance": field.help = "au format 2026-03-31"
            case "annees": field.help = "par exemple 2015-2017"
            case "source": field.help = "d'où viennent les logements comptés, s'ils n'ont pas été importés : par exemple « Sitadel, logements autorisés, date réelle »"
            case "couleur_principale": field.help = "titres et liens, en hexadécimal (par exemple #1f5c99) ; vide : une couleur neutre"
            case "couleur_claire": field.help = "facultative, très pâle (par exemple #eef3f8) ; vide : une teinte pâle de la couleur principale"
            default: break
            }
            if !field.options.isEmpty && !field.options.contains(where: { $0.0 == field.value }) {
                field.options.insert((field.value, field.value.isEmpty ? "—" : field.value), at: 0)
            }
            return field
        }
        let milestones = planFile.sequence(["jalons"])
        var rows: [[Cell]] = []
        for i in 0...milestones.count {
            let existing = i < milestones.count
            let what = existing ? "jalon \(i + 1)" : "nouveau jalon"
            func value(_ name: String, _ key: String) -> String { typed?.text(name) ?? (existing ? milestones[i][key] ?? "" : "") }
            rows.append([
                Cell(kind: .input(type: "text"), name: "jalon_date_\(i)", value: value("jalon_date_\(i)", "date"),
                     label: "Date, \(what)", error: result?.errors["jalon_date_\(i)"]),
                Cell(kind: .input(type: "text"), name: "jalon_libelle_\(i)", value: value("jalon_libelle_\(i)", "libelle"),
                     label: "Libellé, \(what)", error: result?.errors["jalon_libelle_\(i)"]),
                existing ? Cell(kind: .checkbox, name: "jalon_supprimer_\(i)", value: typed?.text("jalon_supprimer_\(i)") ?? "",
                                label: "Supprimer le \(what)") : .text(""),
            ])
        }
        return try EditForm.page(services, context, record, title: "Plan et bilan — " + record.name,
                                 action: "/projets/\(record.id)/plan",
                                 intro: "Le plan, le bilan à produire et les étapes du plan, tels que plh.yaml les décrit (ses commentaires ne sont pas gardés à l'enregistrement).",
                                 fields: fields,
                                 grids: [Grid(caption: "Jalons du plan", columns: ["Date", "Libellé", "Supprimer"], rows: rows)],
                                 result: result)
    }
}
