import PLHModel

extension Achievement {
    /// Computes the bilan's figures. Pure: the same project always gives the same figures.
    public init(project: Project) {
        let duration = project.plan.duration
        let counted = Set(project.bilan.countedYears)
        let years = counted.count
        let segments = project.segments

        // Production per commune and segment, over the counted years.
        var produced: [String: [String: Int]] = [:]
        var uncounted = 0
        for record in project.production {
            guard counted.contains(record.year) else { uncounted += 1; continue }
            produced[record.commune, default: [:]][record.segment, default: 0] += record.dwellings
        }

        // Objectives over the plan, per commune and per category.
        var communeObjective: [String: [String: Double]] = [:]
        var categoryObjective: [String: [String: Double]] = [:]
        let categoryOf = Dictionary(project.communes.map { ($0.code, $0.category) }, uniquingKeysWith: { a, _ in a })
        for objective in project.objectives {
            let dwellings = objective.overPlan(duration: duration)
            switch objective.scope {
            case .commune(let code):
                communeObjective[code, default: [:]][objective.segment, default: 0] += dwellings
                if let category = categoryOf[code] {
                    categoryObjective[category, default: [:]][objective.segment, default: 0] += dwellings
                }
            case .category(let code):
                categoryObjective[code, default: [:]][objective.segment, default: 0] += dwellings
            }
        }

        let make = { (kind: UnitFigures.Kind, objectives: [String: Double], production: [String: Int]) -> UnitFigures in
            UnitFigures.make(kind: kind, segments: segments, objectives: objectives, production: production,
                             duration: duration, years: years)
        }

        let communes = project.communes.map { commune in
            make(.commune(commune), communeObjective[commune.code] ?? [:], produced[commune.code] ?? [:])
        }
        var epciProduction: [String: Int] = [:]
        var epciObjective: [String: Double] = [:]
        let categories = project.categories.map { category -> UnitFigures in
            var production: [String: Int] = [:]
            for commune in project.communes where commune.category == category.code {
                for (segment, n) in produced[commune.code] ?? [:] { production[segment, default: 0] += n }
            }
            let objectives = categoryObjective[category.code] ?? [:]
            for (segment, n) in production { epciProduction[segment, default: 0] += n }
            for (segment, n) in objectives { epciObjective[segment, default: 0] += n }
            return make(.category(category), objectives, production)
        }

        let segmentRank = Dictionary(segments.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        let communeRank = Dictionary(project.communes.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        // Sort keys computed once per record, not at every comparison.
        let countedProduction = project.production
            .filter { counted.contains($0.year) && $0.dwellings > 0 }
            .map { (key: (communeRank[$0.commune] ?? 0) << 24 | ($0.year & 0xFFFF) << 8 | (segmentRank[$0.segment] ?? 0), record: $0) }
            .sorted { $0.key < $1.key }
            .map(\.record)

        self.init(planYears: duration, countedYears: project.bilan.countedYears.sorted(),
                  expectedShare: Double(years) / Double(duration),
                  epci: make(.epci, epciObjective, epciProduction),
                  categories: categories, communes: communes,
                  countedProduction: countedProduction, uncountedRecords: uncounted)
    }
}

extension Achievement {
    /// The whole territory's figures alone: what a batch's synthesis needs of an EPCI that is not rendered again.
    /// The same as `Achievement(project:).epci`, without the communes, the categories and the annex rows.
    public static func territory(of project: Project) -> UnitFigures {
        let duration = project.plan.duration
        let counted = Set(project.bilan.countedYears)
        var production: [String: Int] = [:]
        for record in project.production where counted.contains(record.year) {
            production[record.segment, default: 0] += record.dwellings
        }
        var objectives: [String: Double] = [:]
        for objective in project.objectives {
            objectives[objective.segment, default: 0] += objective.overPlan(duration: duration)
        }
        return UnitFigures.make(kind: .epci, segments: project.segments, objectives: objectives, production: production,
                                duration: duration, years: counted.count)
    }
}

extension UnitFigures {
    static func make(kind: Kind, segments: [Segment], objectives: [String: Double], production: [String: Int],
                     duration: Int, years: Int) -> UnitFigures {
        let totalProduction = segments.reduce(0) { $0 + (production[$1.code] ?? 0) }
        let declared = segments.compactMap { objectives[$0.code] }
        let totalObjective: Double? = declared.isEmpty ? nil : declared.reduce(0, +)
        let bySegment = segments.map { segment in
            SegmentFigures(segment: segment, figures: Figures(
                objective: objectives[segment.code], production: production[segment.code] ?? 0,
                unitObjective: totalObjective, unitProduction: totalProduction, duration: duration, years: years))
        }
        let total = Figures(objective: totalObjective, production: totalProduction,
                            unitObjective: totalObjective, unitProduction: totalProduction, duration: duration, years: years)
        return UnitFigures(kind: kind, bySegment: bySegment, total: total)
    }
}

extension Figures {
    init(objective: Double?, production: Int, unitObjective: Double?, unitProduction: Int, duration: Int, years: Int) {
        let usable = objective.flatMap { $0 > 0 ? $0 : nil }
        let prorated = objective.map { $0 * Double(years) / Double(duration) }
        self.init(
            planObjective: objective,
            proratedObjective: prorated,
            annualObjective: objective.map { $0 / Double(duration) },
            production: production,
            rateAgainstPlan: usable.map { Double(production) / $0 },
            rateAgainstProrated: usable.map { Double(production) / ($0 * Double(years) / Double(duration)) },
            annualRhythm: years > 0 ? Double(production) / Double(years) : 0,
            shareOfProduction: unitProduction > 0 ? Double(production) / Double(unitProduction) : nil,
            shareOfObjective: (unitObjective ?? 0) > 0 ? (objective ?? 0) / unitObjective! : nil
        )
    }
}
