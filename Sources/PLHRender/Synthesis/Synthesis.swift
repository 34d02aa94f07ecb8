import Foundation
import PLHCompute
import PLHBase
import PLHModel

/// The observatory's comparison of every EPCI rendered in a batch: grouped by département (and by the
/// observatory's own grouping), ranked, with the totals.
public struct Synthesis: Sendable {
    public struct Row: Sendable {
        public var siren: String
        public var name: String
        public var department: String
        public var group: String?
        /// The EPCI's bilan folder, relative to the batch output, when it was rendered.
        public var folder: String?
        public var figures: UnitFigures
        public var bilan: Bilan

        public init(siren: String, name: String, department: String, group: String?, folder: String?,
                    figures: UnitFigures, bilan: Bilan) {
            self.siren = siren
            self.name = name
            self.department = department
            self.group = group
            self.folder = folder
            self.figures = figures
            self.bilan = bilan
        }
    }

    public var rows: [Row]
    /// Segments in the order of the first EPCI; others' segments are matched by code.
    public var segments: [Segment]
    public var groupLabel: String?
    public var failures: Int

    public init(rows: [Row], groupLabel: String?, failures: Int) {
        self.rows = rows.sorted { $0.siren < $1.siren }
        var segments: [Segment] = []
        for row in self.rows {
            for s in row.figures.bySegment where !segments.contains(where: { $0.code == s.segment.code }) { segments.append(s.segment) }
        }
        self.segments = segments
        self.groupLabel = groupLabel
        self.failures = failures
    }

    /// A total over rows: objectives where any, production, and segment figures by code.
    struct Total {
        var objective: Double?
        var prorated: Double?
        var production = 0
        var bySegment: [String: Int] = [:]
        var objectiveBySegment: [String: Double] = [:]

        init(_ rows: [Row]) {
            for row in rows {
                if let o = row.figures.total.planObjective { objective = (objective ?? 0) + o }
                if let p = row.figures.total.proratedObjective { prorated = (prorated ?? 0) + p }
                production += row.figures.total.production
                for s in row.figures.bySegment {
                    bySegment[s.segment.code, default: 0] += s.figures.production
                    if let o = s.figures.planObjective { objectiveBySegment[s.segment.code, default: 0] += o }
                }
            }
        }
    }

    static func rate(_ production: Int, _ objective: Double?) -> Double? {
        guard let objective, objective > 0 else { return nil }
        return Double(production) / objective
    }

    /// Rows of a group, best rate against the plan first, those without objective last.
    static func ranked(_ rows: [Row]) -> [Row] {
        rows.enumerated().sorted { a, b in
            let ra = a.element.figures.total.rateAgainstPlan ?? -1, rb = b.element.figures.total.rateAgainstPlan ?? -1
            return ra != rb ? ra > rb : a.offset < b.offset
        }.map(\.element)
    }

    var departments: [(String, [Row])] {
        Dictionary(grouping: rows, by: \.department).sorted { $0.key < $1.key }
    }

    var groups: [(String, [Row])] {
        Dictionary(grouping: rows.filter { $0.group != nil }, by: { $0.group! }).sorted { $0.key < $1.key }
    }

    // MARK: HTML

    public func value() -> TemplateValue {
        let dates = Set(rows.map(\.bilan.date)), stages = Set(rows.map(\.bilan.stage))
        let national = Total(rows)
        var charts: [Chart] = []
        let departmentRates = departments.compactMap { code, rows -> (String, Double)? in
            let total = Total(rows)
            return Self.rate(total.production, total.objective).map { (code, $0) }
        }
        if !departmentRates.isEmpty {
            charts.append(Charts.rates(id: "graphique-departements", title: "Réalisation de l'objectif du PLH par département",
                                       units: departmentRates))
        }
        let nationalUnit = UnitFigures(kind: .epci, bySegment: segments.map { s in
            SegmentFigures(segment: s, figures: Figures(
                planObjective: nil, proratedObjective: nil, annualObjective: nil, production: national.bySegment[s.code] ?? 0,
                rateAgainstPlan: nil, rateAgainstProrated: nil, annualRhythm: 0,
                shareOfProduction: national.production > 0 ? Double(national.bySegment[s.code] ?? 0) / Double(national.production) : nil,
                shareOfObjective: (national.objective ?? 0) > 0 ? (national.objectiveBySegment[s.code] ?? 0) / national.objective! : nil))
        }, total: rows.first?.figures.total ?? Figures(planObjective: nil, proratedObjective: nil, annualObjective: nil, production: 0,
                                                       rateAgainstPlan: nil, rateAgainstProrated: nil, annualRhythm: 0,
                                                       shareOfProduction: nil, shareOfObjective: nil))
        if national.production > 0 {
            charts.append(Charts.segmentShares(id: "graphique-segments", units: [("Ensemble", nationalUnit)], segments: segments))
        }
        let model = ViewModel.chartValue
        return .object([
            "document": .object([
                "titre": .text("Synthèse des bilans de PLH"),
                "generateur": .text(ViewModel.generator),
                "entete_css": .html(ViewModel.cssString("Synthèse des bilans de PLH")),
            ]),
            "synthese": .object([
                "nombre_epci": .text(French.count(rows.count, "EPCI", "EPCI")),
                "nombre_echecs": .text(failures == 1 ? "1 EPCI non rendu" : "\(French.integer(failures)) EPCI non rendus"),
                "a_echecs": .flag(failures > 0),
                "date": .text(dates.count == 1 ? French.date(dates.first!) : "dates diverses"),
                "stade": .text(stages.count == 1 ? French.stage(stages.first!) : "stades divers"),
            ]),
            "segments": .list(segments.map { .object(["libelle": .text($0.label)]) }),
            "national": totalRow("Ensemble", national),
            "departements": .list(departments.map { groupValue($0.0, anchor: "departement-\($0.0)", $0.1) }),
            "a_regroupements": .flag(!groups.isEmpty),
            "regroupement_libelle": .text(groupLabel ?? "Regroupement"),
            "regroupements": .list(groups.enumerated().map { groupValue($1.0, anchor: "regroupement-\($0 + 1)", $1.1) }),
            "graphiques": .list(charts.map { model($0, "") }),
        ])
    }

    func groupValue(_ code: String, anchor: String, _ rows: [Row]) -> TemplateValue {
        .object([
            "code": .text(code),
            "ancre": .text(anchor),
            "nombre_epci": .text(French.count(rows.count, "EPCI", "EPCI")),
            "total": totalRow("Total \(code)", Total(rows)),
            "epci": .list(Self.ranked(rows).enumerated().map { rowValue($1, rank: $0 + 1) }),
        ])
    }

    func rowValue(_ row: Row, rank: Int) -> TemplateValue {
        let f = row.figures
        return .object([
            "siren": .text(row.siren), "nom": .text(row.name), "departement": .text(row.department),
            "regroupement": .text(row.group ?? ""), "rang": .text(String(rank)),
            "a_lien": .flag(row.folder != nil), "lien": .text(row.folder.map { "../\($0)/bilan.html" } ?? ""),
            "objectif_plan": .text(f.total.planObjective.map { French.number($0) } ?? ViewModel.dash),
            "objectif_a_date": .text(f.total.proratedObjective.map { French.number($0) } ?? ViewModel.dash),
            "production": .text(French.integer(f.total.production)),
            "taux_plan": .text(f.total.rateAgainstPlan.map { French.percent($0) } ?? ViewModel.noObjective),
            "taux_a_date": .text(f.total.rateAgainstProrated.map { French.percent($0) } ?? ViewModel.noObjective),
            "parts": .list(segments.map { s in
                .object(["texte": .text(f.figures(for: s.code)?.shareOfProduction.map { French.percent($0) } ?? ViewModel.dash)])
            }),
        ])
    }

    func totalRow(_ name: String, _ total: Total) -> TemplateValue {
        .object([
            "siren": .text(""), "nom": .text(name), "departement": .text(""), "regroupement": .text(""), "rang": .text(""),
            "a_lien": .flag(false), "lien": .text(""),
            "objectif_plan": .text(total.objective.map { French.number($0) } ?? ViewModel.dash),
            "objectif_a_date": .text(total.prorated.map { French.number($0) } ?? ViewModel.dash),
            "production": .text(French.integer(total.production)),
            "taux_plan": .text(Self.rate(total.production, total.objective).map { French.percent($0) } ?? ViewModel.noObjective),
            "taux_a_date": .text(Self.rate(total.production, total.prorated).map { French.percent($0) } ?? ViewModel.noObjective),
            "parts": .list(segments.map { s in
                .object(["texte": .text(total.production > 0 ? French.percent(Double(total.bySegment[s.code] ?? 0) / Double(total.production)) : ViewModel.dash)])
            }),
        ])
    }

    // MARK: CSV

    /// `synthese-epci.csv`: one line per EPCI, in the annexes' dialect.
    public func csv() -> [UInt8] {
        var table = [["siren", "epci", "departement", "regroupement", "objectif_plh", "objectif_a_date", "production",
                      "taux_realisation_plh", "taux_realisation_a_date", "rang_departement"] + segments.map { "part_\($0.code)" }]
        for (_, rows) in departments {
            for (rank, row) in Self.ranked(rows).enumerated() {
                let f = row.figures.total
                func plain(_ value: Double?, _ factor: Double = 1) -> String { value.map { French.plainNumber($0 * factor) } ?? "" }
                var line: [String] = [row.siren, row.name, row.department, row.group ?? ""]
                line += [plain(f.planObjective), plain(f.proratedObjective), String(f.production)]
                line += [plain(f.rateAgainstPlan, 100), plain(f.rateAgainstProrated, 100), String(rank + 1)]
                for s in segments { line.append(plain(row.figures.figures(for: s.code)?.shareOfProduction, 100)) }
                table.append(line)
            }
        }
        return Annexes.encode(table)
    }
}
