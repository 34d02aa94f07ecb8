import PLHModel

/// A statement the figures support, made by one rule for one unit (the EPCI or a category).
public struct Finding: Hashable, Sendable {
    public enum Progress: String, Hashable, Sendable {
        /// The plan's objective is reached.
        case reached
        /// Beyond the objective at date (the prorated one), not yet the plan's.
        case ahead
        /// From the on-track threshold (90 % of the objective at date) up to it.
        case onTrack
        case behind
    }

    /// A segment, a family of segments or a category, with a figure.
    public struct Item: Hashable, Sendable {
        public var code: String
        public var label: String
        public var value: Double
        /// A second figure where the finding compares two (the share of objectives against the share of production).
        public var reference: Double?
        /// The plan objective, for absent production.
        public var objective: Double?
        /// Whether this is a family of segments (`famille` in plh.yaml) rather than one segment.
        public var isFamily = false
        /// A family's segments that deviate the same way as the family: said within its finding, not apart.
        public var members: [Item] = []

        public init(code: String, label: String, value: Double, reference: Double? = nil, objective: Double? = nil,
                    isFamily: Bool = false, members: [Item] = []) {
            self.code = code
            self.label = label
            self.value = value
            self.reference = reference
            self.objective = objective
            self.isFamily = isFamily
            self.members = members
        }
    }

    public enum Kind: Hashable, Sendable {
        /// Rate against the plan objective and against the prorated one; `expected` is the share expected at date.
        case progress(Progress, rateAgainstPlan: Double, rateAgainstProrated: Double, expected: Double)
        /// A category far ahead of its pace: its share of the EPCI's production (value) against its share of
        /// the EPCI's objectives (reference), with its rate against the prorated objective.
        case excess(rateAgainstProrated: Double, Item)
        /// Dwellings counted where the plan sets no objective, in all and per segment (value: dwellings).
        case withoutObjective(dwellings: Int, [Item])
        /// Items whose share of production (value) is above (or below) their share of objectives (reference).
        case representation(over: Bool, Item)
        /// A segment with an objective and no production.
        case noProduction(Item)
        /// Segments whose production already exceeds the plan objective (value: rate).
        case exceeded([Item])
        /// Categories by rate against the plan objective, best first.
        case ranking([Item])
        /// The categories by rate, best first, when the best and the lowest are far apart.
        case disparity([Item])
    }

    /// Stable identifier, used to switch off or reword a finding: `avancement/EPCI`, `absence/pue/accession_sociale`.
    public var id: String
    public var rule: FindingRule
    /// `EPCI` or a category code.
    public var unit: String
    public var kind: Kind
    /// How much the finding weighs, in dwellings (the gap it states): findings are ordered by it.
    public var weight: Double
    /// The segment family the finding is about, if any: findings of one family are stated together.
    public var family: String?

    public init(id: String, rule: FindingRule, unit: String, kind: Kind, weight: Double = 0, family: String? = nil) {
        self.id = id
        self.rule = rule
        self.unit = unit
        self.kind = kind
        self.weight = weight
        self.family = family
    }
}

extension Achievement {
    /// The findings of the EPCI and of each category, in the order a bilan states them: progress first, then
    /// what compares categories, production without objective, then the rest by weight, a family's findings
    /// together; at most `settings.maximum` per unit, after the rules switched off are left out.
    public func findings(settings: FindingSettings) -> [String: [Finding]] {
        var result: [String: [Finding]] = ["EPCI": unitFindings(epci, code: "EPCI", settings: settings)]
        for unit in categories {
            guard case .category(let category) = unit.kind else { continue }
            result[category.code] = unitFindings(unit, code: category.code, settings: settings)
        }
        return result
    }

    func unitFindings(_ unit: UnitFigures, code: String, settings: FindingSettings) -> [Finding] {
        let epsilon = 1e-9
        // Stated first, in this order, whatever their weight.
        var leading: [Finding] = []
        if let plan = unit.total.rateAgainstPlan, let prorated = unit.total.rateAgainstProrated {
            let progress: Finding.Progress = plan >= 1 - epsilon ? .reached
                : prorated >= 1 + epsilon ? .ahead
                : prorated >= settings.onTrackThreshold - epsilon ? .onTrack : .behind
            leading.append(Finding(id: "avancement/\(code)", rule: .avancement, unit: code,
                                   kind: .progress(progress, rateAgainstPlan: plan, rateAgainstProrated: prorated,
                                                   expected: expectedShare)))
            // Far beyond its pace, and a larger share of the territory's production than of its objectives.
            if code != "EPCI", prorated >= settings.excessThreshold - epsilon,
               epci.total.production > 0, let unitObjective = unit.total.planObjective, let epciObjective = epci.total.planObjective,
               epciObjective > 0, case .category(let category) = unit.kind {
                let share = Double(unit.total.production) / Double(epci.total.production), planned = unitObjective / epciObjective
                if (share - planned) / planned >= settings.representationGap - epsilon {
                    let item = Finding.Item(code: category.code, label: category.label, value: share, reference: planned)
                    leading.append(Finding(id: "exces/\(code)", rule: .exces, unit: code,
                                           kind: .excess(rateAgainstProrated: prorated, item)))
                }
            }
        }
        if code == "EPCI" { leading += territoryFindings(settings: settings) }
        if unit.total.productionWithoutObjective > 0 {
            let items = unit.bySegment.filter { $0.figures.productionWithoutObjective > 0 }.map {
                Finding.Item(code: $0.segment.code, label: $0.segment.label, value: Double($0.figures.productionWithoutObjective))
            }
            leading.append(Finding(id: "sans_objectif/\(code)", rule: .sansObjectif, unit: code,
                                   kind: .withoutObjective(dwellings: unit.total.productionWithoutObjective, items)))
        }

        var weighed = representationFindings(unit, code: code, settings: settings)
        for s in unit.bySegment where s.figures.hasObjective && s.figures.production == 0 {
            weighed.append(Finding(id: "absence/\(code)/\(s.segment.code)", rule: .absence, unit: code,
                                   kind: .noProduction(Finding.Item(code: s.segment.code, label: s.segment.label, value: 0,
                                                                    objective: s.figures.planObjective)),
                                   weight: s.figures.proratedObjective ?? 0, family: s.segment.family))
        }
        var excess = 0.0
        let exceeded = unit.bySegment.compactMap { s -> Finding.Item? in
            guard let rate = s.figures.rateAgainstPlan, rate > 1 + epsilon, let objective = s.figures.planObjective else { return nil }
            // Weighed by how far beyond the pace at date: an objective already exceeded is a strong statement.
            excess += Double(s.figures.productionWithObjective) - (s.figures.proratedObjective ?? objective)
            return Finding.Item(code: s.segment.code, label: s.segment.label, value: rate)
        }
        if !exceeded.isEmpty {
            weighed.append(Finding(id: "depassement/\(code)", rule: .depassement, unit: code, kind: .exceeded(exceeded), weight: excess))
        }

        let kept = leading.filter { !settings.disabled.contains($0.rule) }
        let rest = Self.byWeight(weighed.filter { !settings.disabled.contains($0.rule) })
        return Array((kept + rest).prefix(max(0, settings.maximum)))
    }

    /// Heaviest first; the findings of one family follow the family's heaviest, the family's own first.
    static func byWeight(_ findings: [Finding]) -> [Finding] {
        let sorted = findings.enumerated().sorted { a, b in
            a.element.weight != b.element.weight ? a.element.weight > b.element.weight : a.offset < b.offset
        }.map(\.element)
        var result: [Finding] = []
        var placed = Set<Int>()
        for (i, finding) in sorted.enumerated() where !placed.contains(i) {
            guard let family = finding.family else { result.append(finding); placed.insert(i); continue }
            let group = sorted.indices.filter { !placed.contains($0) && sorted[$0].family == family }
            let own = group.filter { sorted[$0].isFamilyFinding }, others = group.filter { !sorted[$0].isFamilyFinding }
            for j in own + others { result.append(sorted[j]); placed.insert(j) }
        }
        return result
    }

    /// Families of two or more segments, then single segments, whose share of production is a `representationGap`
    /// above or below their share of objectives, by at least `representationMinimum` dwellings. A segment that
    /// deviates like its family is said within the family's finding.
    func representationFindings(_ unit: UnitFigures, code: String, settings: FindingSettings) -> [Finding] {
        // Shares of the production that has an objective: production without one is stated apart.
        let counted = unit.total.productionWithObjective
        guard counted > 0, (unit.total.planObjective ?? 0) > 0 else { return [] }
        let epsilon = 1e-9
        struct Deviation { var item: Finding.Item; var over: Bool; var weight: Double }
        func deviation(code: String, label: String, members: [SegmentFigures], family: Bool) -> Deviation? {
            let produced = members.reduce(0) { $0 + $1.figures.productionWithObjective }
            let objective = members.reduce(0.0) { $0 + ($1.figures.shareOfObjective ?? 0) }
            // No production at all is the absence rule's; no objective is production without objective.
            guard produced > 0, objective > 0 else { return nil }
            let share = Double(produced) / Double(counted)
            let gap = share - objective
            let dwellings = abs(gap) * Double(counted)
            guard abs(gap) / objective >= settings.representationGap - epsilon,
                  dwellings >= settings.representationMinimum - epsilon else { return nil }
            return Deviation(item: Finding.Item(code: code, label: label, value: share, reference: objective, isFamily: family),
                             over: gap > 0, weight: dwellings)
        }

        var findings: [Finding] = []
        var folded = Set<String>()
        var families: [String] = []
        for s in unit.bySegment { if let f = s.segment.family, !families.contains(f) { families.append(f) } }
        for family in families {
            let members = unit.bySegment.filter { $0.segment.family == family }
            guard members.count > 1, var d = deviation(code: "famille-" + slug(family), label: family, members: members, family: true)
            else { continue }
            for m in members {
                if let md = deviation(code: m.segment.code, label: m.segment.label, members: [m], family: false), md.over == d.over {
                    d.item.members.append(md.item)
                    folded.insert(m.segment.code)
                }
            }
            findings.append(Finding(id: "representation/\(code)/\(d.item.code)", rule: .representation, unit: code,
                                    kind: .representation(over: d.over, d.item), weight: d.weight, family: family))
        }
        for s in unit.bySegment where !folded.contains(s.segment.code) {
            guard let d = deviation(code: s.segment.code, label: s.segment.label, members: [s], family: false) else { continue }
            findings.append(Finding(id: "representation/\(code)/\(s.segment.code)", rule: .representation, unit: code,
                                    kind: .representation(over: d.over, d.item), weight: d.weight, family: s.segment.family))
        }
        return findings
    }

    /// Findings that compare the categories: the gap between them, with their ranking; the ranking alone when
    /// the gap is small or the disparity rule is switched off.
    func territoryFindings(settings: FindingSettings) -> [Finding] {
        let rated = categories.compactMap { unit -> Finding.Item? in
            guard case .category(let c) = unit.kind, let rate = unit.total.rateAgainstPlan else { return nil }
            return Finding.Item(code: c.code, label: c.label, value: rate)
        }
        guard rated.count > 1 else { return [] }
        let ranked = rated.enumerated().sorted { a, b in
            a.element.value != b.element.value ? a.element.value > b.element.value : a.offset < b.offset
        }.map(\.element)
        if ranked.first!.value - ranked.last!.value >= settings.disparityGap - 1e-9, !settings.disabled.contains(.disparite) {
            return [Finding(id: "disparite/EPCI", rule: .disparite, unit: "EPCI", kind: .disparity(ranked))]
        }
        return [Finding(id: "classement/EPCI", rule: .classement, unit: "EPCI", kind: .ranking(ranked))]
    }
}

extension Finding {
    /// Whether this is a family's representation finding (stated before its segments').
    var isFamilyFinding: Bool {
        if case .representation(_, let item) = kind { return item.isFamily }
        return false
    }
}
