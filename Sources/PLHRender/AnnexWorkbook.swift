import PLHBase
import PLHCompute
import PLHModel

/// `annexes/annexes.xlsx`: the three CSV annexes' tables as a workbook, for the person who opens them in a
/// spreadsheet. The CSV files stay the machine-stable interface; here headers and values are French labels,
/// codes are text (01001 keeps its zero), rates are fractions shown as percentages, and a « Notes » sheet
/// says which bilan the figures are from and how to read empty cells.
extension Annexes {
    static let workbookPath = "annexes/annexes.xlsx"

    static let figureHeaders = ["Objectif du PLH", "Objectif à date", "Production", "Taux de réalisation (PLH)",
                                "Taux de réalisation (à date)", "Part de la production", "Part dans les objectifs"]

    /// The workbook's bytes, the same for the same project: ZIP entries dated the bilan's date at noon.
    static func workbook(project: Project, achievement: Achievement) -> [UInt8] {
        let categoryLabel = Dictionary(project.categories.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })
        let segmentText = Dictionary(project.segments.map { ($0.code, Workbook.Text($0.label)) }, uniquingKeysWith: { first, _ in first })
        // A commune's leading cells, escaped once: the production sheet repeats them on every row.
        var communeText: [String: (code: Workbook.Text, name: Workbook.Text, category: Workbook.Text)] = [:]
        communeText.reserveCapacity(project.communes.count)
        for commune in project.communes where communeText[commune.code] == nil {
            communeText[commune.code] = (Workbook.Text(commune.code), Workbook.Text(commune.name),
                                         Workbook.Text(categoryLabel[commune.category] ?? commune.category))
        }
        func leading(_ code: String, into sheet: inout Workbook.Sheet) {
            if let cells = communeText[code] {
                sheet.text(cells.code, style: .code)
                sheet.text(cells.name)
                sheet.text(cells.category)
            } else {
                sheet.text(code, style: .code)
                sheet.skip()
                sheet.skip()
            }
        }

        // Widths in characters: the longest name or label, within bounds.
        func width(_ texts: [String], header: String) -> Int {
            min(50, max(10, (texts.map(\.count) + [header.count]).max()! + 2))
        }
        let communeWidth = width(project.communes.map(\.name), header: "Commune")
        let categoryWidth = width(project.categories.map(\.label) + [Self.epciLabel], header: "Catégorie")
        let segmentWidth = width(project.segments.map(\.label), header: "Segment")
        let code = Workbook.Column(header: "Code INSEE", width: 12)
        let commune = Workbook.Column(header: "Commune", width: communeWidth)
        let category = Workbook.Column(header: "Catégorie", width: categoryWidth)
        let segment = Workbook.Column(header: "Segment", width: segmentWidth)
        let figures = figureHeaders.map { Workbook.Column(header: $0, width: 14) }

        var production = Workbook.Sheet(name: "Production", columns: [
            code, commune, category, Workbook.Column(header: "Année", width: 8), segment,
            Workbook.Column(header: "Logements", width: 12),
        ])
        for record in achievement.countedProduction {
            leading(record.commune, into: &production)
            production.integer(record.year, style: .plain)
            production.text(segmentText[record.segment] ?? Workbook.Text(record.segment))
            production.integer(record.dwellings)
            production.endRow()
        }

        var categories = Workbook.Sheet(name: "Réalisation catégories", columns: [category, segment] + figures)
        for unit in achievement.categories + [achievement.epci] {
            let label: Workbook.Text
            if case .category(let c) = unit.kind { label = Workbook.Text(c.label) } else { label = Workbook.Text(Self.epciLabel) }
            rows(unit, segments: segmentText, into: &categories) { $0.text(label) }
        }

        var communes = Workbook.Sheet(name: "Réalisation communes", columns: [code, commune, category, segment] + figures)
        for unit in achievement.communes {
            guard case .commune(let c) = unit.kind else { continue }
            rows(unit, segments: segmentText, into: &communes) { leading(c.code, into: &$0) }
        }

        var workbook = Workbook()
        workbook.sheets = [production, categories, communes, notes(project: project, achievement: achievement)]
        do {
            return try workbook.bytes(date: project.bilan.date)
        } catch {
            // Only an archive over 4 GB fails: the production sheet would need tens of millions of rows.
            preconditionFailure("annexes.xlsx: \(error)")
        }
    }

    /// How the EPCI's own rows read in the « Catégorie » column.
    static let epciLabel = "Ensemble de l'EPCI"

    /// One row per segment, then « Ensemble », each after the unit's leading cells.
    static func rows(_ unit: UnitFigures, segments: [String: Workbook.Text], into sheet: inout Workbook.Sheet,
                     leading: (inout Workbook.Sheet) -> Void) {
        for item in unit.bySegment {
            leading(&sheet)
            sheet.text(segments[item.segment.code] ?? Workbook.Text(item.segment.label))
            cells(item.figures, into: &sheet)
            sheet.endRow()
        }
        leading(&sheet)
        sheet.text("Ensemble")
        cells(unit.total, into: &sheet)
        sheet.endRow()
    }

    /// Objectives with one decimal (a yearly objective over part of the plan need not be whole), rates as fractions.
    static func cells(_ f: Figures, into sheet: inout Workbook.Sheet) {
        sheet.number(f.planObjective, style: .decimal)
        sheet.number(f.proratedObjective, style: .decimal)
        sheet.integer(f.production)
        sheet.number(f.rateAgainstPlan, style: .percent)
        sheet.number(f.rateAgainstProrated, style: .percent)
        sheet.number(f.shareOfProduction, style: .percent)
        sheet.number(f.shareOfObjective, style: .percent)
    }

    /// « Notes »: which bilan, and how to read the other sheets.
    static func notes(project: Project, achievement: Achievement) -> Workbook.Sheet {
        var sheet = Workbook.Sheet(name: "Notes", columns: [Workbook.Column(header: "", width: 24), Workbook.Column(header: "", width: 100)],
                                   header: false)
        func line(_ label: String, _ value: String, style: Workbook.Style = .wrapped) {
            sheet.text(label, style: .bold)
            sheet.text(French.typography(value), style: style)
            sheet.endRow()
        }
        line("EPCI", project.epci.name)
        line("SIREN", project.epci.siren, style: .code)
        line("PLH", "\(project.plan.name), années \(project.plan.years.lowerBound) à \(project.plan.years.upperBound)")
        line("Bilan", "\(French.capitalised(French.kind(project.bilan.kind))) du \(French.date(project.bilan.date))")
        line("Production comptée", "\(French.capitalised(French.stage(project.bilan.stage))), \(French.list(achievement.countedYears.map(String.init)))")
        sheet.endRow()
        line("Feuilles", "Production : logements comptés par commune, année et segment. Réalisation catégories : objectifs, "
             + "production et taux par catégorie et segment, puis pour l'ensemble de l'EPCI. Réalisation communes : les mêmes "
             + "chiffres par commune.")
        line("Taux et parts", "Rapports de la production aux objectifs, et parts d'un segment dans la production et dans les "
             + "objectifs de la commune ou de la catégorie, affichés en pourcentage.")
        line("Cases vides", "Pas d'objectif fixé : l'objectif et les taux sont laissés vides (ce n'est pas un objectif nul).")
        let withObjective = achievement.communes.filter { $0.total.planObjective != nil }.count
        if withObjective < achievement.communes.count {
            line("Objectifs des communes", withObjective == 0
                ? "Objectifs fixés par catégorie de communes : voir la feuille « Réalisation catégories ». Les communes "
                    + "n'ont pas d'objectif propre, leurs colonnes d'objectif et de taux sont vides."
                : "Les communes sans objectif propre (objectifs fixés par catégorie de communes : voir la feuille "
                    + "« Réalisation catégories ») ont leurs colonnes d'objectif et de taux vides.")
        }
        line("Fichiers CSV", "Les mêmes tableaux, avec les codes de plh.yaml : " + descriptions.map(\.0).filter { $0.hasSuffix(".csv") }.joined(separator: ", ") + ".")
        return sheet
    }
}
