import Foundation
import Hummingbird
import PLHBilan

/// The findings page: turn a rule off or rewrite a finding, what `plh-bilan constats` lists and `constats:` of
/// plh.yaml (`desactiver`, `textes`) does, in a form.
extension EditController {
    static let findingRoutes: [Route] = [
        Route(.get, "/projets/:project/constats", findings),
        Route(.post, "/projets/:project/constats", saveFindings),
    ]

    static let ruleLabels: [FindingRule: String] = [
        .avancement: "Avancement : objectif atteint, dépassé à date, en bonne voie ou en retard",
        .exces: "Excès : catégorie très en avance sur son rythme, sa part de la production de l'EPCI face à sa part des objectifs",
        .sansObjectif: "Production sans objectif : logements comptés là où le PLH ne fixe pas d'objectif, hors des taux",
        .representation: "Représentation : segment sur- ou sous-représenté par rapport à sa part prévue",
        .absence: "Absence : segment avec un objectif et sans production",
        .depassement: "Dépassement : objectif du plan déjà dépassé",
        .classement: "Classement des catégories par taux de réalisation (dit dans le constat de disparité s'il y en a un)",
        .disparite: "Disparité entre la meilleure et la moins bonne catégorie, avec le classement des catégories",
    ]

    /// Every finding the engine makes (rules off included, so that they can be turned on again), by unit.
    static func allFindings(_ loaded: LoadedProject) -> [(id: String, unit: String, text: String, rule: String)] {
        var settings = loaded.project.findingSettings
        settings.disabled = []
        settings.texts = [:]
        settings.maximum = .max
        let findings = Achievement(project: loaded.project).findings(settings: settings)
        let labels = Dictionary(uniqueKeysWithValues: loaded.project.categories.map { ($0.code, $0.label) })
        var list: [(String, String, String, String)] = []
        for unit in ["EPCI"] + loaded.project.categories.map(\.code) {
            for finding in findings[unit] ?? [] {
                list.append((finding.id, unit == "EPCI" ? "Ensemble de l'EPCI" : labels[unit] ?? unit,
                             FindingText.text(finding, settings: settings), String(finding.id.split(separator: "/").first ?? "")))
            }
        }
        return list
    }

    static func findings(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        return try findingsPage(services, context, record, folder: folder, typed: nil, result: nil)
    }

    static func saveFindings(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder, user) = try await EditForm.editable(services, context)
        let form = context.form
        var plan = try BilanEngine.planFile(folder)
        let loaded = try BilanEngine.load(folder)
        plan.setList(["constats", "desactiver"], FindingRule.allCases.map(\.rawValue).filter { !form.text("desactiver_" + $0).isEmpty })
        for (index, finding) in allFindings(loaded).enumerated() {
            let text = (form["texte_\(index)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            plan.set(["constats", "textes", finding.id], text.isEmpty ? nil : text)
        }
        let planText = plan.text
        let result = try await EditForm.save(services, context, record, user: user, summary: "Constats", field: { _ in nil }) { staging in
            try BilanEngine.writePlan(planText, into: staging)
        }
        let current = result.keepTyped ? folder : services.workspace.folder(record.id, version: result.version)
        return try findingsPage(services, context, record, folder: current, typed: result.keepTyped ? form : nil, result: result)
    }

    static func findingsPage(_ services: Services, _ context: WebContext, _ record: ProjectRecord, folder: URL,
                             typed: Form?, result: EditForm.Result?) throws -> Response {
        let loaded = try BilanEngine.load(folder)
        let settings = loaded.project.findingSettings
        let rules = FindingRule.allCases.map { rule -> [Cell] in
            let name = "desactiver_" + rule.rawValue
            let value = typed.map { $0.text(name) } ?? (settings.disabled.contains(rule) ? "oui" : "")
            return [.text(ruleLabels[rule] ?? rule.rawValue),
                    Cell(kind: .checkbox, name: name, value: value, label: "Désactiver la règle « \(rule.rawValue) »")]
        }
        let findings = allFindings(loaded).enumerated().map { index, finding -> [Cell] in
            let name = "texte_\(index)"
            let off = settings.disabled.contains(FindingRule(rawValue: finding.rule) ?? .avancement)
            return [.text(finding.id), .text(finding.unit), .text(finding.text + (off ? " (règle désactivée)" : "")),
                    Cell(kind: .input(type: "text"), name: name, value: typed?.text(name) ?? settings.texts[finding.id] ?? "",
                         label: "Texte qui remplace le constat \(finding.id)", error: result?.errors[name])]
        }
        return try EditForm.page(services, context, record, title: "Constats — " + record.name,
                                 action: "/projets/\(record.id)/constats",
                                 intro: "Les constats que le moteur tire des chiffres. Désactivez une règle pour retirer ses constats du bilan, ou écrivez un texte qui remplace un constat (laissez vide pour garder celui du moteur).",
                                 grids: [Grid(caption: "Règles de constat", columns: ["Règle", "Désactiver"], rows: rules),
                                         Grid(caption: "Constats du bilan", columns: ["Identifiant", "Unité", "Constat du moteur", "Texte de remplacement"],
                                              rows: findings)],
                                 result: result)
    }
}
