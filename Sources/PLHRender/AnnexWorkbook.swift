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
        var workbook = Workbook()
        let strings = workbook.strings
        let categoryLabel = Dictionary(project.categories.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })
        let segmentText = Dictionary(project.segments.map { ($0.code, strings.text($0.label)) }, uniquingKeysWith: { first, _ in first })
        // A commune's leading cells, escaped once: the production sheet repeats them on every row.
        var communeText: [String: (code: Workbook.Text, name: Workbook.Text, category: Workbook.Text)] = [:]
        communeText.reserveCapacity(project.communes.count)
        for commune in project.communes where communeText[commune.code] == nil {
            communeText[commune.code] = (strings.text(commune.code), strings.text(commune.name),
                                         strings.text(categoryLabel[commune.category] ?? commune.category))
        }
        func leading(_ code: String, into sheet: inout Workbook.Sheet) {
            leading(communeText[code], code: code, into: &sheet)
        }
        func leading(_ cells: (code: Workbook.Text, name: Workbook.Text, category: Workbook.Text)?, code: String,
                     into sheet: inout Workbook.Sheet) {
            if let cells {
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

        var production = workbook.sheet(name: "Production", columns: [
            code, commune, category, Workbook.Column(header: "Année", width: 8), segment,
            Workbook.Column(header: "Logements", width: 12),
        ])
        // Rows come sorted by commune: its cells are looked up once for its run of rows.
        var last: (commune: String, cells: (code: Workbook.Text, name: Workbook.Text, category: Workbook.Text)?) = ("", nil)
        for record in achievement.countedProduction {
            if record.commune != last.commune || last.cells == nil { last = (record.commune, communeText[record.commune]) }
            leading(last.cells, code: record.commune, into: &production)
            production.integer(record.year, style: .plain)
            production.text(segmentText[record.segment] ?? strings.text(record.segment))
            production.integer(record.dwellings)
            production.endRow()
        }

        var categories = workbook.sheet(name: "Réalisation catégories", columns: [category, segment] + figures)
        for unit in achievement.categories + [achievement.epci] {
            let label: Workbook.Text
            if case .category(let c) = unit.kind { label = strings.text(c.label) } else { label = strings.text(Self.epciLabel) }
            rows(unit, segments: segmentText, strings: strings, into: &categories) { $0.text(label) }
        }

        var communes = workbook.sheet(name: "Réalisation communes", columns: [code, commune, category, segment] + figures)
        for unit in achievement.communes {
            guard case .commune(let c) = unit.kind else { continue }
            rows(unit, segments: segmentText, strings: strings, into: &communes) { leading(c.code, into: &$0) }
        }

        workbook.sheets = [production, categories, communes, notes(project: project, achievement: achievement, in: workbook)]
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
    static func rows(_ unit: UnitFigures, segments: [String: Workbook.Text], strings: Workbook.Strings,
                     into sheet: inout Workbook.Sheet, leading: (inout Workbook.Sheet) -> Void) {
        let allSegments = strings.text("Ensemble")
        for item in unit.bySegment {
            leading(&sheet)
            sheet.text(segments[item.segment.code] ?? strings.text(item.segment.label))
            cells(item.figures, into: &sheet)
            sheet.endRow()
        }
        leading(&sheet)
        sheet.text(allSegments)
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
    static func notes(project: Project, achievement: Achievement, in workbook: Workbook) -> Workbook.Sheet {
        let strings = workbook.strings
        var sheet = workbook.sheet(name: "Notes", columns: [Workbook.Column(header: "", width: 24), Workbook.Column(header: "", width: 100)],
                                   header: false)
        func line(_ label: String, _ value: String, style: Workbook.Style = .wrapped) {
            line(strings.text(label), strings.text(French.typography(value)), style: style)
        }
        func line(_ label: Workbook.Text, _ value: Workbook.Text, style: Workbook.Style = .wrapped) {
            sheet.text(label, style: .bold)
            sheet.text(value, style: style)
            sheet.endRow()
        }
        line("EPCI", project.epci.name)
        line("SIREN", project.epci.siren, style: .code)
        line("PLH", "\(project.plan.name), années \(project.plan.years.lowerBound) à \(project.plan.years.upperBound)")
        line("Bilan", "\(French.capitalised(French.kind(project.bilan.kind))) du \(French.date(project.bilan.date))")
        line("Production comptée", "\(French.capitalised(French.stage(project.bilan.stage))), \(French.list(achievement.countedYears.map(String.init)))")
        sheet.endRow()
        for note in Notes.reading { line(strings.text(note.label), strings.text(note.text)) }
        let withObjective = achievement.communes.filter { $0.total.planObjective != nil }.count
        if withObjective < achievement.communes.count {
            line(strings.text(Notes.communeObjectives),
                 strings.text(withObjective == 0 ? Notes.noCommuneObjective : Notes.someCommuneObjectives))
        }
        line(strings.text(Notes.csv.label), strings.text(Notes.csv.text))
        return sheet
    }

    /// The notes every workbook has, with French spacing applied once.
    enum Notes {
        static func note(_ label: String, _ text: String) -> (label: String, text: String) {
            (label, French.typography(text))
        }

        static let reading = [
            note("Feuilles", "Production : logements comptés par commune, année et segment. Réalisation catégories : objectifs, "
                 + "production et taux par catégorie et segment, puis pour l'ensemble de l'EPCI. Réalisation communes : les mêmes "
                 + "chiffres par commune."),
            note("Taux et parts", "Rapports de la production aux objectifs, et parts d'un segment dans la production et dans les "
                 + "objectifs de la commune ou de la catégorie, affichés en pourcentage."),
            note("Cases vides", "Pas d'objectif fixé : l'objectif et les taux sont laissés vides (ce n'est pas un objectif nul)."),
        ]
        static let communeObjectives = "Objectifs des communes"
        static let noCommuneObjective = (French.typography(
            "Objectifs fixés par catégorie de communes : voir la feuille « Réalisation catégories ». Les communes "
                + "n'ont pas d'objectif propre, leurs colonnes d'objectif et de taux sont vides."))
        static let someCommuneObjectives = (French.typography(
            "Les communes sans objectif propre (objectifs fixés par catégorie de communes : voir la feuille "
                + "« Réalisation catégories ») ont leurs colonnes d'objectif et de taux vides."))
        static let csv = note("Fichiers CSV", "Les mêmes tableaux, avec les codes de plh.yaml : "
                              + descriptions.map(\.0).filter { $0.hasSuffix(".csv") }.joined(separator: ", ") + ".")
    }
}
