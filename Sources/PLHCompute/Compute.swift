import PLHModel

extension Achievement {
    /// Computes the bilan's figures. Pure: the same project always gives the same figures.
    public init(project: Project) {
        let duration = project.plan.duration
        let counted = CountedYears(project.bilan.countedYears)
        let segments = project.segments
        let segmentIndex = SegmentIndex(segments)
        let communeIndex = Dictionary(project.communes.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        let categoryIndex = Dictionary(project.categories.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        let communeCategory = project.communes.map { categoryIndex[$0.category] }

        // Production per commune and segment, over the counted years: one row of segment counts per commune.
        var produced = [[Int]](repeating: [Int](repeating: 0, count: segments.count), count: project.communes.count)
        var uncounted = 0
        var countedProduction: [(key: Int, record: ProductionRecord)] = []
        countedProduction.reserveCapacity(project.production.count)
        // Records of one commune usually follow each other: its index is looked up once for the run.
        var lastCommune: (code: String, index: Int?) = ("", nil)
        for record in project.production {
            guard counted.contains(record.year) else { uncounted += 1; continue }
            if record.commune != lastCommune.code { lastCommune = (record.commune, communeIndex[record.commune]) }
            let c = lastCommune.index, k = segmentIndex[record.segment]
            if let c, let k { produced[c][k] += record.dwellings }
            // Annex rows in a stable order: commune, year, segment (sort keys computed once per record).
            if record.dwellings > 0 { countedProduction.append(((c ?? 0) << 24 | (record.year & 0xFFFF) << 8 | (k ?? 0), record)) }
        }
        // Usually in that order already (a file written commune by commune): then nothing is moved.
        if zip(countedProduction, countedProduction.dropFirst()).contains(where: { $0.key > $1.key }) {
            countedProduction.sort { $0.key < $1.key }
        }

        // Objectives over the plan, per commune and per category.
        var communeObjective = [[Double?]](repeating: [Double?](repeating: nil, count: segments.count), count: project.communes.count)
        var categoryObjective = [[Double?]](repeating: [Double?](repeating: nil, count: segments.count), count: project.categories.count)
        for objective in project.objectives {
            guard let k = segmentIndex[objective.segment] else { continue }
            let dwellings = objective.overPlan(duration: duration)
            switch objective.scope {
            case .commune(let code):
                guard let c = communeIndex[code] else { continue }
                communeObjective[c][k] = (communeObjective[c][k] ?? 0) + dwellings
                if let g = communeCategory[c] { categoryObjective[g][k] = (categoryObjective[g][k] ?? 0) + dwellings }
            case .category(let code):
                guard let g = categoryIndex[code] else { continue }
                categoryObjective[g][k] = (categoryObjective[g][k] ?? 0) + dwellings
            }
        }

        let make = { (kind: UnitFigures.Kind, objectives: [Double?], production: [Int], covered: [Int]?) -> UnitFigures in
            UnitFigures.make(kind: kind, segments: segments, objectives: objectives, production: production,
                             covered: covered, duration: duration, years: counted.count)
        }
        let communes = project.communes.indices.map { c in
            make(.commune(project.communes[c]), communeObjective[c], produced[c], nil)
        }
        var categoryProduction = [[Int]](repeating: [Int](repeating: 0, count: segments.count), count: project.categories.count)
        for c in project.communes.indices {
            guard let g = communeCategory[c] else { continue }
            for k in segments.indices { categoryProduction[g][k] += produced[c][k] }
        }
        let categories = project.categories.indices.map { g in
            make(.category(project.categories[g]), categoryObjective[g], categoryProduction[g], nil)
        }
        var epciProduction = [Int](repeating: 0, count: segments.count)
        var epciCovered = [Int](repeating: 0, count: segments.count)
        var epciObjective = [Double?](repeating: nil, count: segments.count)
        for g in project.categories.indices {
            for k in segments.indices {
                epciProduction[k] += categoryProduction[g][k]
                if let o = categoryObjective[g][k] { epciObjective[k] = (epciObjective[k] ?? 0) + o }
                // A category's production counts towards the EPCI's rate only where the category has an objective.
                if (categoryObjective[g][k] ?? 0) > 0 { epciCovered[k] += categoryProduction[g][k] }
            }
        }

        self.init(planYears: duration, countedYears: project.bilan.countedYears.sorted(),
                  expectedShare: Double(counted.count) / Double(duration),
                  epci: make(.epci, epciObjective, epciProduction, epciCovered),
                  categories: categories, communes: communes,
                  countedProduction: countedProduction.map(\.record), uncountedRecords: uncounted)
    }
}

/// A segment's position in the plan's list, by code. Plans have a handful of segments: comparing short
/// strings one by one is quicker than hashing them, once per production record.
public struct SegmentIndex: Sendable {
    private let codes: [String]

    public init(_ segments: [Segment]) {
        codes = segments.map(\.code)
    }

    public subscript(_ code: String) -> Int? {
        codes.firstIndex(of: code)
    }
}

/// The years a bilan counts, checked without hashing: a national batch asks once per production record.
struct CountedYears {
    private let first: Int
    private let flags: [Bool]
    let count: Int

    init(_ years: [Int]) {
        first = years.min() ?? 0
        var flags = [Bool](repeating: false, count: (years.max() ?? -1) - first + 1)
        for year in years { flags[year - first] = true }
        self.flags = flags
        count = flags.filter { $0 }.count
    }

    func contains(_ year: Int) -> Bool {
        year >= first && year - first < flags.count && flags[year - first]
    }
}

extension Achievement {
    /// The whole territory's figures alone: what a batch's synthesis needs of an EPCI that is not rendered again.
    /// The same as `Achievement(project:).epci`, without the communes, the categories and the annex rows.
    public static func territory(of project: Project) -> UnitFigures {
        let duration = project.plan.duration
        let counted = CountedYears(project.bilan.countedYears)
        let segmentIndex = SegmentIndex(project.segments)
        let segmentCount = project.segments.count
        let categoryIndex = Dictionary(project.categories.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        var communeCategory: [String: Int] = [:]
        communeCategory.reserveCapacity(project.communes.count)
        for commune in project.communes where communeCategory[commune.code] == nil {
            if let g = categoryIndex[commune.category] { communeCategory[commune.code] = g }
        }
        // Objectives per category and segment (a commune's count for its category), as `init(project:)` sums them;
        // the loader has checked that every objective and production row names a known commune or category.
        var cells = [Double](repeating: 0, count: project.categories.count * segmentCount)
        var objectives = [Double?](repeating: nil, count: segmentCount)
        for objective in project.objectives {
            guard let k = segmentIndex[objective.segment] else { continue }
            let dwellings = objective.overPlan(duration: duration)
            objectives[k] = (objectives[k] ?? 0) + dwellings
            let g: Int?
            switch objective.scope {
            case .category(let code): g = categoryIndex[code]
            case .commune(let code): g = communeCategory[code]
            }
            if let g { cells[g * segmentCount + k] += dwellings }
        }
        var production = [Int](repeating: 0, count: segmentCount)
        var covered = [Int](repeating: 0, count: segmentCount)
        var last: (code: String, category: Int?) = ("", nil)
        for record in project.production where counted.contains(record.year) {
            guard let k = segmentIndex[record.segment] else { continue }
            if record.commune != last.code { last = (record.commune, communeCategory[record.commune]) }
            production[k] += record.dwellings
            if let g = last.category, cells[g * segmentCount + k] > 0 { covered[k] += record.dwellings }
        }
        return UnitFigures.make(kind: .epci, segments: project.segments, objectives: objectives, production: production,
                                covered: covered, duration: duration, years: counted.count)
    }
}

extension UnitFigures {
    /// A unit's figures from its objectives and production, both indexed like `segments`.
    /// `covered`: per segment, the production counted where the plan sets an objective (for the EPCI, whose
    /// segments sum categories with and without one); nil for a commune or a category, where it is the
    /// segment's whole production when the segment has an objective, and none otherwise.
    static func make(kind: Kind, segments: [Segment], objectives: [Double?], production: [Int], covered: [Int]?,
                     duration: Int, years: Int) -> UnitFigures {
        let totalProduction = production.reduce(0, +)
        let declared = objectives.compactMap { $0 }
        let totalObjective: Double? = declared.isEmpty ? nil : declared.reduce(0, +)
        let withObjective = segments.indices.map { k in
            (objectives[k] ?? 0) > 0 ? (covered?[k] ?? production[k]) : 0
        }
        let bySegment = segments.indices.map { k in
            SegmentFigures(segment: segments[k], figures: Figures(
                objective: objectives[k], production: production[k], withObjective: withObjective[k],
                unitObjective: totalObjective, unitProduction: totalProduction, duration: duration, years: years))
        }
        let total = Figures(objective: totalObjective, production: totalProduction, withObjective: withObjective.reduce(0, +),
                            unitObjective: totalObjective, unitProduction: totalProduction, duration: duration, years: years)
        return UnitFigures(kind: kind, bySegment: bySegment, total: total)
    }
}

extension Figures {
    init(objective: Double?, production: Int, withObjective: Int, unitObjective: Double?, unitProduction: Int,
         duration: Int, years: Int) {
        let usable = objective.flatMap { $0 > 0 ? $0 : nil }
        let prorated = objective.map { $0 * Double(years) / Double(duration) }
        self.init(
            planObjective: objective,
            proratedObjective: prorated,
            annualObjective: objective.map { $0 / Double(duration) },
            production: production,
            rateAgainstPlan: usable.map { Double(withObjective) / $0 },
            rateAgainstProrated: usable.map { Double(withObjective) / ($0 * Double(years) / Double(duration)) },
            annualRhythm: years > 0 ? Double(production) / Double(years) : 0,
            shareOfProduction: unitProduction > 0 ? Double(production) / Double(unitProduction) : nil,
            shareOfObjective: (unitObjective ?? 0) > 0 ? (objective ?? 0) / unitObjective! : nil
        )
        productionWithoutObjective = production - withObjective
    }
}
