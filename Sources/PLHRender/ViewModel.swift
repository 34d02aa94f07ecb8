import Foundation
import PLHCompute
import PLHBase
import PLHModel

/// Builds the template context: every figure already formatted as French text, every narrative as safe HTML.
public struct ViewModel {
    /// The version of PLH Bilan, written into documents and archives.
    public static let version = PLHBilanVersion.current
    public static let generator = "PLH Bilan \(version)"

    public let project: Project
    public let achievement: Achievement
    /// The figures narratives may cite.
    /// The figures narratives may cite (made on first use: most batch EPCIs have no narrative).
    public var figures: NarrativeFigures { Self.narrativeFigures(project: project, achievement: achievement) }
    /// Narratives' Markdown with their figures expanded, by path.
    private var expanded: [String: String] = [:]
    /// Narratives' HTML, by path, made by `value()`.
    private var rendered: [String: String] = [:]
    /// What rendering left out of the narratives (raw HTML, remote images), located: the user is told.
    public private(set) var warnings: [Diagnostic] = []

    /// Marks the document as a draft (an incomplete bilan packaged on request); its cover says so.
    public var draft = false
    /// Whether the annexes include the workbook (`annexes.xlsx`), which the annex list then names.
    public var workbook = true
    /// `toComplete`, when the caller already worked it out (it parses the narratives).
    var knownGaps: [String]?

    public init(project: Project, achievement: Achievement) {
        self.project = project
        self.achievement = achievement
    }

    static let dash = "—"

    /// A CSS string literal that cannot close its quotes nor the `<style>` element around it.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "<", ">", "&", "\n", "\r":
                out += "\\" + String(scalar.value, radix: 16) + " "
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
    static let noObjective = "sans objectif"

    /// The template context; a narrative citing an unknown figure is a located input error.
    public mutating func value() throws(BilanError) -> TemplateValue {
        var errors: [Diagnostic] = []
        let hasNarratives = project.orientations.contains { $0.globalNarrative != nil || $0.perspectives != nil || !$0.categoryNarratives.isEmpty }
        let figures = hasNarratives ? self.figures : NarrativeFigures(names: [])
        for o in project.orientations {
            for narrative in [o.globalNarrative, o.perspectives].compactMap({ $0 }) + o.categoryNarratives.values
            where expanded[narrative.path] == nil {
                expanded[narrative.path] = figures.expand(narrative, errors: &errors)
            }
        }
        if !errors.isEmpty {
            throw BilanError(.input, errors.sorted { ($0.location?.path ?? "", $0.location?.line ?? 0, $0.location?.column ?? 0)
                < ($1.location?.path ?? "", $1.location?.line ?? 0, $1.location?.column ?? 0) })
        }
        var narratives: [Narrative] = []
        for o in project.orientations {
            narratives += [o.globalNarrative, o.perspectives].compactMap { $0 } + o.categoryNarratives.values.sorted { $0.path < $1.path }
        }
        for narrative in narratives where rendered[narrative.path] == nil {
            var omissions: [Markdown.Omission] = []
            rendered[narrative.path] = html(narrative, omissions: &omissions)
            warnings += Self.warnings(omissions, in: narrative)
        }
        return context()
    }

    /// Warnings listed per narrative before the rest is counted, and items quoted per warning.
    static let warningLimit = 10, quotedLimit = 5

    /// One warning per line and kind of omission, at the narrative's line; past `warningLimit`, a count.
    static func warnings(_ omissions: [Markdown.Omission], in narrative: Narrative) -> [Diagnostic] {
        var groups: [(kind: Markdown.Omission.Kind, line: Int?, texts: [String])] = []
        for omission in omissions {
            let text = omission.text.count > 80 ? String(omission.text.prefix(80)) + "…" : omission.text
            if let last = groups.last, last.kind == omission.kind, last.line == omission.line {
                groups[groups.count - 1].texts.append(text)
            } else {
                groups.append((omission.kind, omission.line, [text]))
            }
        }
        var listed = groups.prefix(warningLimit).map { group in
            let location = SourceLocation(path: narrative.displayPath, line: group.line)
            var quoted = group.texts.prefix(quotedLimit).map { "« \($0) »" }.joined(separator: ", ")
            if group.texts.count > quotedLimit { quoted += " et \(group.texts.count - quotedLimit) autres" }
            switch group.kind {
            case .rawHTML:
                return Diagnostic(.warning, at: location, "HTML brut ignoré dans le récit : \(quoted)",
                                  hint: "écrivez en Markdown (*italique*, **gras**, une ligne vide entre deux paragraphes) ; "
                                      + "pour des textes de confiance seulement, « html_brut: oui » sous « options » dans plh.yaml garde le HTML")
            case .remoteImage:
                return Diagnostic(.warning, at: location,
                                  "image distante retirée du récit : \(quoted) (le bilan ne fait aucun appel réseau)",
                                  hint: "intégrez l'image dans le récit sous forme d'adresse data:image/…;base64, ou retirez-la")
            }
        }
        if groups.count > warningLimit {
            let rest = groups.count - warningLimit
            listed.append(Diagnostic(.warning, at: SourceLocation(path: narrative.displayPath),
                                     "\(rest) autre\(rest > 1 ? "s" : "") ligne\(rest > 1 ? "s" : "") du récit avec du HTML brut ou une image distante retirés"))
        }
        return listed
    }

    func context() -> TemplateValue {
        let epci = project.epci
        let plan = project.plan
        let bilan = project.bilan
        let totalPopulation = project.communes.reduce(0) { $0 + $1.population }
        let categoryLabel = Dictionary(project.categories.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
        let planObjective = achievement.epci.total.planObjective ?? 0

        let document: TemplateValue = .object(([
            "titre": .text("\(kindTitle(bilan.kind)) du \(plan.title)"),
            "generateur": .text(Self.generator),
            "entete_css": .html(Self.cssString("\(epci.shortName ?? epci.name) – \(kindTitle(bilan.kind)) du \(plan.title)")),
        ] as TemplateObject).adding(Self.colourValues(project.colours)))
        let epciValue: TemplateValue = .object([
            "nom": .text(epci.name),
            "nom_court": .text(epci.shortName ?? epci.name),
            "siren": .text(epci.siren),
            "population": .text(French.integer(totalPopulation)),
            "a_millesime": .flag(project.populationVintage != nil),
            "population_millesime": .text(project.populationVintage ?? ""),
            "nombre_communes": .text(French.count(project.communes.count, "commune")),
            "nombre_categories": .text(French.count(project.categories.count, "catégorie")),
        ])
        let planValue: TemplateValue = .object([
            "nom": .text(plan.name),
            "intitule": .text(plan.title),
            "periode": .text("\(plan.years.lowerBound)-\(plan.years.upperBound)"),
            "duree": .text(French.count(plan.duration, "an")),
            "objectif_plan": .text(French.number(planObjective)),
            "objectif_annuel": .text(French.number(planObjective / Double(plan.duration))),
            "a_objectif": .flag(planObjective > 0),
            "a_objectif_declare": .flag(plan.declaredAnnualObjective != nil),
            "objectif_declare": .text(plan.declaredAnnualObjective.map(French.integer) ?? ""),
        ])
        let ignored = achievement.uncountedRecords
        let bilanValue: TemplateValue = .object([
            "type": .text(bilan.kind.rawValue),
            "intitule": .text(kindTitle(bilan.kind)),
            "date": .text(French.date(bilan.date)),
            "date_iso": .text(bilan.date.iso8601),
            "a_instance": .flag(bilan.instance != nil),
            "instance": .text(bilan.instance ?? ""),
            "a_date_instance": .flag(bilan.instanceDate != nil),
            "date_instance": .text(bilan.instanceDate.map(French.date) ?? ""),
            "date_instance_iso": .text(bilan.instanceDate?.iso8601 ?? ""),
            "annees": .text(French.list(achievement.countedYears.map(String.init))),
            "nombre_annees": .text(French.count(achievement.countedYears.count, "an")),
            "stade": .text(stageText(bilan.stage)),
            "attendu": .text(French.percent(achievement.expectedShare)),
            "a_source": .flag(bilan.source != nil),
            "source": .text(bilan.source ?? ""),
            "a_avertissement": .flag(bilan.notice != nil),
            "avertissement": .text(bilan.notice ?? ""),
            "a_hors_periode": .flag(ignored > 0),
            "hors_periode": .text(ignored == 1
                ? "1 ligne de production hors des années comptées n'est pas prise en compte"
                : "\(French.integer(ignored)) lignes de production hors des années comptées ne sont pas prises en compte"),
        ])
        let milestones = project.milestones.sorted { $0.date < $1.date }.map { m -> TemplateValue in
            .object(["date": .text(French.date(m.date)), "date_iso": .text(m.date.iso8601), "libelle": .text(m.label)])
        }
        let categories = project.categories.map { category -> TemplateValue in
            let communes = project.communes(in: category.code)
            return .object([
                "code": .text(category.code),
                "libelle": .text(category.label),
                "a_description": .flag(category.description != nil),
                "description": .text(category.description ?? ""),
                "nombre_communes": .text(French.count(communes.count, "commune")),
                "population": .text(French.integer(communes.reduce(0) { $0 + $1.population })),
                "liste_communes": .text(French.list(communes.map(\.name))),
                "communes": Self.communeNames(communes),
            ])
        }
        let findings = achievement.findings(settings: project.findingSettings)
        let shared = OrientationFigures(
            charts: charts(),
            globalTable: table(achievement.epci, caption: "Réalisation des objectifs de production – ensemble de l'EPCI"),
            sectorTables: Dictionary(achievement.categories.compactMap { unit -> (String, TemplateValue)? in
                guard case .category(let category) = unit.kind else { return nil }
                return (category.code, table(unit, caption: "Réalisation des objectifs de production – \(category.label)"))
            }, uniquingKeysWith: { a, _ in a }),
            findings: findings.mapValues { (any: !$0.isEmpty, list: findingList($0)) })
        let orientations = project.orientations.enumerated().map { index, o in
            orientation(o, number: index + 1, shared: shared)
        }
        let communes = achievement.communes.compactMap { unit -> TemplateValue? in
            guard case .commune(let c) = unit.kind else { return nil }
            return .object([
                "code_insee": .text(c.code),
                "nom": .text(c.name),
                "categorie": .text(categoryLabel[c.category] ?? c.category),
                "population": .text(French.integer(c.population)),
                "objectif_plan": .text(unit.total.planObjective.map { French.number($0) } ?? Self.dash),
                "production": .text(French.integer(unit.total.production)),
                "taux_plan": .text(Self.rate(unit.total.rateAgainstPlan)),
                "par_segment": .list(unit.bySegment.map { .object(["texte": .text(French.integer($0.figures.production))]) }),
            ])
        }
        let gaps = knownGaps ?? toComplete
        return .object([
            "document": document,
            "epci": epciValue,
            "plh": planValue,
            "bilan": bilanValue,
            "chapitres": .object(["cadrage": .text("1"), "annexes": .text(String(project.orientations.count + 2))]),
            "a_jalons": .flag(!milestones.isEmpty),
            "jalons": .list(milestones),
            "categories": .list(categories),
            "orientations": .list(orientations),
            "communes": .list(communes),
            "a_objectifs_communaux": .flag(achievement.communes.contains { $0.total.planObjective != nil }),
            "segments_annexe": .list(project.segments.map { .object(["libelle": .text($0.label)]) }),
            "annexes": .list(Annexes.descriptions.filter { workbook || $0.0 != Annexes.workbookPath }.map { .object(["fichier": .text($0.0), "description": .text($0.1)]) }),
            "a_sources": .flag(!project.sources.isEmpty),
            "sources": .list(project.sources.map(Self.sourceValue)),
            "a_completer": .flag(!gaps.isEmpty),
            "a_completer_liste": .list(gaps.map { .object(["texte": .text($0)]) }),
            "brouillon": .flag(draft),
        ])
    }

    /// What the officer still has to fill in: objectives, production, narratives (a project just made by init).
    public var toComplete: [String] {
        var items: [String] = []
        if project.objectives.isEmpty {
            items.append("Aucun objectif chiffré : remplissez le fichier des objectifs (objectifs.csv) ; les taux de réalisation sont « sans objectif ».")
        }
        if achievement.countedProduction.isEmpty {
            items.append("Aucune production comptée pour les années \(French.list(achievement.countedYears.map(String.init))) : importez les permis (plh-bilan import sitadel) ou les agréments, ou remplissez le fichier de production.")
        }
        // The préfet must know where the counted dwellings come from: an import says it, otherwise bilan.source.
        if project.bilan.source == nil, !achievement.countedProduction.isEmpty,
           !project.sources.contains(where: { $0.kind == .sitadel || $0.kind == .agrements }) {
            items.append("Source des chiffres à indiquer : la production n'a pas été importée ; dites d'où elle vient dans plh.yaml, clé bilan.source (par exemple « Sitadel, logements autorisés, date réelle »).")
        }
        let blank = project.orientations.flatMap { o in [o.globalNarrative, o.perspectives].compactMap { $0 } + o.categoryNarratives.values.sorted { $0.path < $1.path } }
            .filter { !Markdown.hasText($0.markdown) }.map(\.path)
        if !blank.isEmpty {
            items.append("\(blank.count > 1 ? "Récits" : "Récit") à rédiger : \(French.list(blank)).")
        }
        return items
    }

    /// Communes listed in running text, each name to be kept whole (`<span class="commune">`), with the
    /// separator that follows it, as `French.list` writes them (`frenchEnumerationSeparators`).
    static func communeNames(_ communes: [Commune]) -> TemplateValue {
        .list(zip(communes, frenchEnumerationSeparators(communes.count)).map { c, separator in
            .object(["code_insee": .text(c.code), "nom": .text(c.name), "population": .text(French.integer(c.population)),
                     "separateur": .text(separator)])
        })
    }

    /// The document's colours for the style sheet (`document.couleur_principale`, `document.couleur_claire`).
    static func colourValues(_ colours: Colours) -> TemplateObject {
        ["couleur_principale": .text(colours.main.hex), "couleur_claire": .text(colours.light.hex)]
    }

    static func sourceValue(_ s: SourceRecord) -> TemplateValue {
        let kinds: [SourceKind: String] = [.communes: "Communes et populations (DGCL)", .sitadel: "Permis de construire (Sitadel)",
                                           .agrements: "Agréments de logements sociaux"]
        return .object([
            "type": .text(kinds[s.kind] ?? s.kind.rawValue),
            "fichier": .text(s.file),
            "stade": .text(s.stage.map(French.stage) ?? dash),
            "date_import": .text(French.date(s.importDate)),
            "date_import_iso": .text(s.importDate.iso8601),
            "lignes_lues": .text(French.integer(s.rowsRead)),
            "lignes_retenues": .text(French.integer(s.rowsKept)),
            "hors_epci": .text(French.integer(s.outsideEPCI)),
            "hors_periode": .text(French.integer(s.outsidePeriod)),
            "sha256": .text(s.sha256),
            "sha256_court": .text(String(s.sha256.prefix(12))),
        ])
    }

    /// What every orientation shows alike: the tables, findings and charts of the same figures, made once.
    struct OrientationFigures {
        var charts: (global: [Chart], sectors: [Chart])
        var globalTable: TemplateValue
        var sectorTables: [String: TemplateValue]
        /// Finding lists by unit (`EPCI` or a category's code), and whether there is any.
        var findings: [String: (any: Bool, list: TemplateValue)]

        func findings(_ unit: String) -> (any: Bool, list: TemplateValue) { findings[unit] ?? (false, .list([])) }
    }

    func orientation(_ o: Orientation, number: Int, shared: OrientationFigures) -> TemplateValue {
        let anchor = "orientation-\(number)"
        // Charts carry HTML identifiers: in a second orientation with figures, they get their own.
        let suffix = number == 1 ? "" : "-o\(number)"
        let sectors = achievement.categories.compactMap { unit -> TemplateValue? in
            guard case .category(let category) = unit.kind else { return nil }
            let narrative = o.categoryNarratives[category.code]
            let findings = shared.findings(category.code)
            return .object([
                "code": .text(category.code),
                "libelle": .text(category.label),
                "ancre": .text("\(anchor)-\(category.code)"),
                "liste_communes": .text(French.list(project.communes(in: category.code).map(\.name))),
                "communes": Self.communeNames(project.communes(in: category.code)),
                "tableau": shared.sectorTables[category.code] ?? .object([:]),
                "a_constats": .flag(findings.any),
                "constats": findings.list,
                "a_recit": .flag(narrative != nil),
                "recit": .html(narrative.map(html) ?? ""),
            ])
        }
        let findings = shared.findings("EPCI")
        return .object([
            "numero": .text(String(number)),
            "titre": .text(o.title),
            "ancre": .text(anchor),
            "chapitre": .text(String(number + 1)),
            "a_bilan_production": .flag(o.hasProductionBilan),
            "a_constats": .flag(findings.any),
            "constats": findings.list,
            "graphiques_global": .list(shared.charts.global.map { Self.chartValue($0, suffix: suffix) }),
            "graphiques_secteurs": .list(shared.charts.sectors.map { Self.chartValue($0, suffix: suffix) }),
            "bilan_global": shared.globalTable,
            "a_recit_global": .flag(o.globalNarrative != nil),
            "recit_global": .html(o.globalNarrative.map(html) ?? ""),
            "secteurs": .list(sectors),
            "a_perspectives": .flag(o.perspectives != nil),
            "perspectives": .html(o.perspectives.map(html) ?? ""),
        ])
    }

    func findingList(_ findings: [Finding]) -> TemplateValue {
        .list(findings.map { f in
            .object(["texte": .text(FindingText.text(f, settings: project.findingSettings)),
                     "identifiant": .text(f.id), "regle": .text(f.rule.rawValue)])
        })
    }

    /// The charts of the bilan global (the EPCI) and of the bilan sectorisé (the categories).
    func charts() -> (global: [Chart], sectors: [Chart]) {
        let stage = stageText(project.bilan.stage)
        let years = French.list(achievement.countedYears.map(String.init))
        let categories = achievement.categories.compactMap { unit -> (String, UnitFigures)? in
            guard case .category(let c) = unit.kind else { return nil }
            return (c.label, unit)
        }
        let global = [
            Charts.productionAgainstObjectives(id: "graphique-epci", units: [(project.epci.shortName ?? "EPCI", achievement.epci.total)],
                                               stage: stage, years: years),
            Charts.productionByYear(id: "graphique-annees", records: achievement.countedProduction,
                                    years: achievement.countedYears, segments: project.segments, stage: stage),
        ]
        let sectors = [
            Charts.productionAgainstObjectives(id: "graphique-categories", units: categories.map { ($0.0, $0.1.total) },
                                               stage: stage, years: years),
            Charts.segmentShares(id: "graphique-parts", units: [(project.epci.shortName ?? "EPCI", achievement.epci)] + categories,
                                 segments: project.segments),
        ]
        return (global, sectors)
    }

    static func chartValue(_ chart: Chart, suffix: String) -> TemplateValue {
        let svg = suffix.isEmpty ? chart.svgBytes : chart.svgBytes.replacingBytes("\(chart.id)-", with: "\(chart.id)\(suffix)-")
        return .object([
            "identifiant": .text(chart.id + suffix),
            "titre": .text(chart.title),
            "svg": .htmlBytes(svg),
            "entetes": .list(chart.headers.map { .object(["texte": .text($0)]) }),
            "lignes": .list(chart.rows.map { row in
                .object(["libelle": .text(row.label), "valeurs": .list(row.values.map { .object(["texte": .text($0)]) })])
            }),
        ])
    }

    /// A narrative's HTML, as `NarrativePreview` makes it (headings from h4, « À rédiger » when empty).
    func html(_ narrative: Narrative) -> String {
        if let html = rendered[narrative.path] { return html }
        var omissions: [Markdown.Omission] = []
        return html(narrative, omissions: &omissions)
    }

    func html(_ narrative: Narrative, omissions: inout [Markdown.Omission]) -> String {
        NarrativePreview.html(expanded: expanded[narrative.path] ?? narrative.markdown, allowRawHTML: project.allowsRawHTML,
                              omissions: &omissions)
    }

    func table(_ unit: UnitFigures, caption: String) -> TemplateValue {
        let stage = stageText(project.bilan.stage)
        // One precision per column: a decimal for every value of a column when one of them needs it (« 24,0 »
        // beside « 23,3 »), none otherwise.
        let all = unit.bySegment.map(\.figures) + [unit.total]
        let columns: [(String, (Figures) -> Double?)] = [
            ("objectif_plan", \.planObjective), ("objectif_a_date", \.proratedObjective),
            ("objectif_annuel", \.annualObjective), ("rythme_annuel", { $0.annualRhythm }),
        ]
        var decimals: [String: Int] = [:]
        for (name, value) in columns {
            // French.number drops a zero tenth: a comma means the value needs its decimal.
            decimals[name] = all.contains { value($0).map { French.number($0).utf8.contains(0x2C) } ?? false } ? 1 : 0
        }
        return .object([
            "legende": .text("\(caption) (\(stage), \(French.list(achievement.countedYears.map(String.init))))"),
            "lignes": .list(unit.bySegment.map { row(label: $0.segment.label, code: $0.segment.code, $0.figures, decimals: decimals) }),
            "total": row(label: "Ensemble", code: "ensemble", unit.total, decimals: decimals),
        ])
    }

    /// A table row; `decimals` fixes the precision of a column by name (`rythme_annuel`: 1 writes « 45,0 »),
    /// otherwise a number has at most one decimal, trailing zero dropped (as in narratives).
    func row(label: String, code: String, _ f: Figures, decimals: [String: Int] = [:]) -> TemplateValue {
        var fields: TemplateObject = ["segment": .text(label), "code": .text(code), "a_objectif": .flag(f.hasObjective)]
        for field in NarrativeFigures.fields {
            fields[field] = .text(Self.cellText(field, f, decimals: decimals[field]) ?? "")
        }
        return .object(fields)
    }

    /// One figure of a table row, as the tables and narratives write it; `decimals` fixes the precision
    /// of a number (nil: at most one decimal, a zero tenth dropped). Nil for a name that is not a figure.
    static func cellText(_ field: String, _ f: Figures, decimals: Int?) -> String? {
        func number(_ value: Double) -> String {
            guard let fixed = decimals else { return French.number(value) }
            return French.fixed(value, decimals: fixed)
        }
        switch field {
        case "objectif_plan": return f.planObjective.map(number) ?? dash
        case "objectif_a_date": return f.proratedObjective.map(number) ?? dash
        case "objectif_annuel": return f.annualObjective.map(number) ?? dash
        case "production": return French.integer(f.production)
        case "rythme_annuel": return number(f.annualRhythm)
        case "taux_plan": return rate(f.rateAgainstPlan)
        case "taux_a_date": return rate(f.rateAgainstProrated)
        case "part_production": return f.shareOfProduction.map { French.percent($0) } ?? dash
        case "part_objectif": return f.shareOfObjective.map { French.percent($0) } ?? dash
        default: return nil
        }
    }

    static func rate(_ value: Double?) -> String {
        value.map { French.percent($0) } ?? noObjective
    }

    func kindTitle(_ kind: BilanKind) -> String { French.capitalised(French.kind(kind)) }

    func stageText(_ stage: CountingStage) -> String { French.stage(stage) }

    /// Every figure a narrative may cite, as the same French strings as the tables (made when cited).
    static func narrativeFigures(project: Project, achievement: Achievement) -> NarrativeFigures {
        let context: [(String, String)] = [
            ("bilan.attendu", French.percent(achievement.expectedShare)),
            ("bilan.annees", French.list(achievement.countedYears.map(String.init))),
            ("bilan.nombre_annees", French.count(achievement.countedYears.count, "an")),
            ("bilan.date", French.date(project.bilan.date)),
            ("plh.duree", French.count(project.plan.duration, "an")),
            ("plh.periode", "\(project.plan.years.lowerBound)-\(project.plan.years.upperBound)"),
            ("epci.population", French.integer(project.communes.reduce(0) { $0 + $1.population })),
            ("epci.nombre_communes", French.count(project.communes.count, "commune")),
        ]
        var units: [(String, UnitFigures)] = [("EPCI", achievement.epci)]
        for unit in achievement.categories + achievement.communes {
            switch unit.kind {
            case .category(let c): units.append((c.code, unit))
            case .commune(let c): units.append((c.code, unit))
            case .epci: break
            }
        }
        return NarrativeFigures(context: context, units: units) { figures, field in
            cellText(field, figures, decimals: nil)
        }
    }
}
