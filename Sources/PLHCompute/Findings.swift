import PLHModel

/// A statement the figures support, made by one rule for one unit (the EPCI or a category).
public struct Finding: Hashable, Sendable {
    public enum Progress: String, Hashable, Sendable {
        case reached, onTrack, behind
    }

    /// A segment, or a family of segments, with a figure.
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

        public init(code: String, label: String, value: Double, reference: Double? = nil, objective: Double? = nil,
                    isFamily: Bool = false) {
            self.code = code
            self.label = label
            self.value = value
            self.reference = reference
            self.objective = objective
            self.isFamily = isFamily
        }
    }

    public enum Kind: Hashable, Sendable {
        /// Rate against the plan objective and against the prorated one; `expected` is the share expected at date.
        case progress(Progress, rateAgainstPlan: Double, rateAgainstProrated: Double, expected: Double)
        /// Items whose share of production (value) is above (or below) their share of objectives (reference).
        case representation(over: Bool, Item)
        /// A segment with an objective and no production.
        case noProduction(Item)
        /// Segments whose production already exceeds the plan objective (value: rate).
        case exceeded([Item])
        /// Categories by rate against the plan objective, best first.
        case ranking([Item])
        /// The lowest and highest category rates.
        case disparity(lowest: Item, highest: Item)
    }

    /// Stable identifier, used to switch off or reword a finding: `avancement/EPCI`, `absence/pue/accession_sociale`.
    public var id: String
    public var rule: FindingRule
    /// `EPCI` or a category code.
    public var unit: String
    public var kind: Kind

    public init(id: String, rule: FindingRule, unit: String, kind: Kind) {
        self.id = id
        self.rule = rule
        self.unit = unit
        self.kind = kind
    }
}

extension Achievement {
    /// The findings of the EPCI (first) and of each category, in the order a bilan states them.
    public func findings(settings: FindingSettings) -> [String: [Finding]] {
        var territory = unitFindings(epci, code: "EPCI", settings: settings)
        territory.insert(contentsOf: territoryFindings(settings: settings), at: territory.first?.rule == .avancement ? 1 : 0)
        var result: [String: [Finding]] = ["EPCI": territory]
        for unit in categories {
            guard case .category(let category) = unit.kind else { continue }
            result[category.code] = unitFindings(unit, code: category.code, settings: settings)
        }
        return result.mapValues { $0.filter { !settings.disabled.contains($0.rule) } }
    }

    func unitFindings(_ unit: UnitFigures, code: String, settings: FindingSettings) -> [Finding] {
        var findings: [Finding] = []
        let epsilon = 1e-9
        if let plan = unit.total.rateAgainstPlan, let prorated = unit.total.rateAgainstProrated {
            let progress: Finding.Progress = plan >= 1 - epsilon ? .reached
                : prorated >= settings.onTrackThreshold - epsilon ? .onTrack : .behind
            findings.append(Finding(id: "avancement/\(code)", rule: .avancement, unit: code,
                                    kind: .progress(progress, rateAgainstPlan: plan, rateAgainstProrated: prorated,
                                                    expected: expectedShare)))
        }

        // Representation: families of two or more segments first, then single segments.
        if unit.total.production > 0, (unit.total.planObjective ?? 0) > 0 {
            var groups: [(code: String, label: String, members: [SegmentFigures], family: Bool)] = []
            var families: [String] = []
            for s in unit.bySegment { if let f = s.segment.family, !families.contains(f) { families.append(f) } }
            for family in families {
                let members = unit.bySegment.filter { $0.segment.family == family }
                if members.count > 1 { groups.append(("famille-" + slug(family), family, members, true)) }
            }
            groups += unit.bySegment.map { ($0.segment.code, $0.segment.label, [$0], false) }
            var over: [Finding] = [], under: [Finding] = []
            for group in groups {
                let production = group.members.reduce(0.0) { $0 + ($1.figures.shareOfProduction ?? 0) }
                let objective = group.members.reduce(0.0) { $0 + ($1.figures.shareOfObjective ?? 0) }
                let produced = group.members.contains { $0.figures.production > 0 }
                guard produced, objective > 0 || production > 0 else { continue }
                let item = Finding.Item(code: group.code, label: group.label, value: production, reference: objective,
                                        isFamily: group.family)
                let id = "representation/\(code)/\(group.code)"
                if production - objective >= settings.representationGap - epsilon {
                    over.append(Finding(id: id, rule: .representation, unit: code, kind: .representation(over: true, item)))
                } else if objective - production >= settings.representationGap - epsilon {
                    under.append(Finding(id: id, rule: .representation, unit: code, kind: .representation(over: false, item)))
                }
            }
            findings += over + under
        }

        for s in unit.bySegment where s.figures.hasObjective && s.figures.production == 0 {
            findings.append(Finding(id: "absence/\(code)/\(s.segment.code)", rule: .absence, unit: code,
                                    kind: .noProduction(Finding.Item(code: s.segment.code, label: s.segment.label, value: 0,
                                                                     objective: s.figures.planObjective))))
        }

        let exceeded = unit.bySegment.compactMap { s -> Finding.Item? in
            guard let rate = s.figures.rateAgainstPlan, rate > 1 + epsilon else { return nil }
            return Finding.Item(code: s.segment.code, label: s.segment.label, value: rate)
        }
        if !exceeded.isEmpty {
            findings.append(Finding(id: "depassement/\(code)", rule: .depassement, unit: code, kind: .exceeded(exceeded)))
        }
        return findings
    }

    /// Findings that compare the categories: their ranking and the gap between them.
    func territoryFindings(settings: FindingSettings) -> [Finding] {
        let rated = categories.compactMap { unit -> Finding.Item? in
            guard case .category(let c) = unit.kind, let rate = unit.total.rateAgainstPlan else { return nil }
            return Finding.Item(code: c.code, label: c.label, value: rate)
        }
        guard rated.count > 1 else { return [] }
        let ranked = rated.enumerated().sorted { a, b in
            a.element.value != b.element.value ? a.element.value > b.element.value : a.offset < b.offset
        }.map(\.element)
        var findings: [Finding] = []
        if ranked.first!.value - ranked.last!.value >= settings.disparityGap - 1e-9 {
            findings.append(Finding(id: "disparite/EPCI", rule: .disparite, unit: "EPCI",
                                    kind: .disparity(lowest: ranked.last!, highest: ranked.first!)))
        }
        findings.append(Finding(id: "classement/EPCI", rule: .classement, unit: "EPCI", kind: .ranking(ranked)))
        return findings
    }
}
