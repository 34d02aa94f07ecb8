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
    /// The columns of shares: the segments when every EPCI has the same ones (matched by code); otherwise
    /// the families of segments (`famille`, or the label of a segment without one), matched by name, so
    /// that EPCIs with different segment lists are compared on what they share.
    public var segments: [Segment]
    /// Whether EPCIs are compared by family because their segments differ.
    public var byFamily: Bool
    public var groupLabel: String?
    public var failures: Int

    public init(rows: [Row], groupLabel: String?, failures: Int) {
        self.rows = rows.sorted { $0.siren < $1.siren }
        let lists = Set(self.rows.map { $0.figures.bySegment.map(\.segment.code) })
        byFamily = lists.count > 1
        var columns: [Segment] = []
        for row in self.rows {
            for s in row.figures.bySegment {
                let column = byFamily ? Self.familyColumn(s.segment) : s.segment
                if !columns.contains(where: { $0.code == column.code }) { columns.append(column) }
            }
        }
        self.segments = columns
        self.groupLabel = groupLabel
        self.failures = failures
    }

    /// Each column's place in the charts' palette, so that it wears the colour the bilans give it: a segment
    /// its position in the segment list (as in every bilan); a family the position its segments most often
    /// have in the EPCIs' lists (smallest first on a tie), moved to the next free place when another family holds it.
    var paletteSlots: [Int] {
        guard byFamily else { return Array(segments.indices) }
        var votes: [String: [Int: Int]] = [:]
        for row in rows {
            for (position, s) in row.figures.bySegment.enumerated() {
                votes[column(of: s.segment), default: [:]][position, default: 0] += 1
            }
        }
        var taken: Set<Int> = []
        return segments.map { column in
            let preferred = (votes[column.code] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map(\.key).first ?? 0
            var slot = preferred
            while taken.contains(slot % Palette.segments.count) && taken.count < Palette.segments.count { slot += 1 }
            taken.insert(slot % Palette.segments.count)
            return slot
        }
    }

    /// The column of a segment when EPCIs are compared by family: its family, or its own label.
    static func familyColumn(_ segment: Segment) -> Segment {
        let label = segment.family ?? segment.label
        return Segment(code: normalisedName(label), label: French.capitalised(label))
    }

    /// The column a segment's figures are counted in.
    func column(of segment: Segment) -> String {
        byFamily ? Self.familyColumn(segment).code : segment.code
    }

    /// An EPCI's production in a column, nil when none of its segments falls in it.
    func production(_ figures: UnitFigures, in column: String) -> Int? {
        var production = 0, found = false
        for s in figures.bySegment where (byFamily ? Self.familyColumn(s.segment).code : s.segment.code) == column {
            production += s.figures.production
            found = true
        }
        return found ? production : nil
    }

    /// An EPCI's share of its production in a column: nil when it has no segment there, or produced nothing.
    func share(_ figures: UnitFigures, in column: String) -> Double? {
        guard let produced = production(figures, in: column), figures.total.production > 0 else { return nil }
        return Double(produced) / Double(figures.total.production)
    }

    /// A total over rows: objectives where any, production, and segment figures by code.
    struct Total {
        var objective: Double?
        var prorated: Double?
        var production = 0
        /// Production that has an objective: rates are computed on it, as in each bilan.
        var withObjective = 0
        /// By column (segment or family); a column absent here has no EPCI of the group in it.
        var bySegment: [String: Int] = [:]
        var objectiveBySegment: [String: Double] = [:]

        /// `columns`: every column a row's segment can fall in, in order; `column` gives a segment's.
        init(_ rows: [Row], columns: [String], column: (Segment) -> String) {
            // Sums by column position, in the rows' order (the same additions, so the same doubles, as by name);
            // a row's segment is looked for at its own position first, where all EPCIs with the same list have it.
            var produced = [Int](repeating: 0, count: columns.count), objectives = [Double](repeating: 0, count: columns.count)
            var hasProduction = [Bool](repeating: false, count: columns.count)
            var hasObjective = [Bool](repeating: false, count: columns.count)
            for row in rows {
                if let o = row.figures.total.planObjective { objective = (objective ?? 0) + o }
                if let p = row.figures.total.proratedObjective { prorated = (prorated ?? 0) + p }
                production += row.figures.total.production
                if row.figures.total.planObjective != nil { withObjective += row.figures.total.productionWithObjective }
                for (position, s) in row.figures.bySegment.enumerated() {
                    let code = column(s.segment)
                    guard let k = position < columns.count && columns[position] == code ? position : columns.firstIndex(of: code) else {
                        continue
                    }
                    produced[k] += s.figures.production
                    hasProduction[k] = true
                    if let o = s.figures.planObjective {
                        objectives[k] += o
                        hasObjective[k] = true
                    }
                }
            }
            for k in columns.indices {
                if hasProduction[k] { bySegment[columns[k]] = produced[k] }
                if hasObjective[k] { objectiveBySegment[columns[k]] = objectives[k] }
            }
        }
    }

    func total(_ rows: [Row]) -> Total { Total(rows, columns: segments.map(\.code), column: column(of:)) }

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
        let national = total(rows)
        var charts: [Chart] = []
        // Grouped once each: a national synthesis has 1 255 rows.
        let byDepartment = departments, byGroup = groups
        let departmentTotals = byDepartment.map { total($0.1) }
        let departmentRates = zip(byDepartment, departmentTotals).compactMap { group, total -> (String, Double)? in
            Self.rate(total.withObjective, total.objective).map { (Departments.name(group.0) ?? group.0, $0) }
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
            charts.append(Charts.segmentShares(id: "graphique-segments", units: [("Ensemble", nationalUnit)], segments: segments,
                                               slots: paletteSlots))
        }
        let model = ViewModel.chartValue
        return .object([
            "document": .object(([
                "titre": .text("Synthèse des bilans de PLH"),
                "generateur": .text(ViewModel.generator),
                "entete_css": .html(ViewModel.cssString("Synthèse des bilans de PLH")),
            ] as TemplateObject).adding(ViewModel.colourValues(.neutral))),
            "synthese": .object([
                "nombre_epci": .text(French.count(rows.count, "EPCI", "EPCI")),
                "nombre_echecs": .text(failures == 1 ? "1 EPCI non rendu" : "\(French.integer(failures)) EPCI non rendus"),
                "a_echecs": .flag(failures > 0),
                "date": .text(dates.count == 1 ? French.date(dates.first!) : "dates diverses"),
                "bilans": .text(dates.count == 1 ? "bilans du \(French.date(dates.first!))" : "bilans de dates diverses"),
                "a_familles": .flag(byFamily),
                "familles": .text(French.list(segments.map { FindingText.lowercasedFirst($0.label) })),
                "stade": .text(stages.count == 1 ? French.stage(stages.first!) : "stades divers"),
            ]),
            "segments": .list(segments.map { .object(["libelle": .text($0.label)]) }),
            "national": totalRow("Ensemble", national),
            "departements": .list(zip(byDepartment, departmentTotals).map { group, total in
                groupValue(Departments.label(group.0), anchor: "departement-\(group.0)", group.1, total: total)
            }),
            "a_regroupements": .flag(!byGroup.isEmpty),
            "regroupement_libelle": .text(groupLabel ?? "Regroupement"),
            "regroupements": .list(byGroup.enumerated().map { groupValue($1.0, anchor: "regroupement-\($0 + 1)", $1.1) }),
            "graphiques": .list(charts.map { model($0, "") }),
        ])
    }

    func groupValue(_ code: String, anchor: String, _ rows: [Row], total groupTotal: Total? = nil) -> TemplateValue {
        .object([
            "code": .text(code),
            "ancre": .text(anchor),
            "nombre_epci": .text(French.count(rows.count, "EPCI", "EPCI")),
            "total": totalRow("Total \(code)", groupTotal ?? total(rows)),
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
                .object(["texte": .text(share(f, in: s.code).map { French.percent($0) } ?? ViewModel.dash)])
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
            "taux_plan": .text(Self.rate(total.withObjective, total.objective).map { French.percent($0) } ?? ViewModel.noObjective),
            "taux_a_date": .text(Self.rate(total.withObjective, total.prorated).map { French.percent($0) } ?? ViewModel.noObjective),
            // « — » when no EPCI of the group has the column, as on the EPCI rows, never « 0 % ».
            "parts": .list(segments.map { s in
                .object(["texte": .text(total.production > 0 && total.bySegment[s.code] != nil
                    ? French.percent(Double(total.bySegment[s.code]!) / Double(total.production)) : ViewModel.dash)])
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
                for s in segments { line.append(plain(share(row.figures, in: s.code), 100)) }
                table.append(line)
            }
        }
        return Annexes.encode(table)
    }
}
