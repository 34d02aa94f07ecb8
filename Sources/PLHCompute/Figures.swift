import PLHModel

/// The computed figures of one unit (a commune, a category or the EPCI) for one segment, or for all segments.
///
/// Objectives are `nil` when the plan sets none for this unit and segment: rates are then `nil` too
/// (« sans objectif »), never a division by zero. Rates and shares are fractions (0.5 for 50 %).
public struct Figures: Hashable, Sendable {
    /// Objective over the whole plan, in dwellings.
    public var planObjective: Double?
    /// Objective pro rata temporis at the date of the bilan: plan objective × years counted / plan years.
    public var proratedObjective: Double?
    /// Objective per year: plan objective / plan years.
    public var annualObjective: Double?
    /// Dwellings counted over the years of the bilan.
    public var production: Int
    /// The part of `production` counted where the plan sets no objective (a category, or a category's segment,
    /// without one): shown apart, and left out of the rates, which it has no objective for.
    public var productionWithoutObjective: Int = 0
    /// Production that rates are computed on: what was counted where the plan sets an objective.
    public var productionWithObjective: Int { production - productionWithoutObjective }
    /// Production with an objective / plan objective.
    public var rateAgainstPlan: Double?
    /// Production with an objective / prorated objective (taux de réalisation à date).
    public var rateAgainstProrated: Double?
    /// Production / years counted.
    public var annualRhythm: Double
    /// This segment's share of the unit's production (1 for all segments); nil when the unit produced nothing.
    public var shareOfProduction: Double?
    /// This segment's share of the unit's objective; nil when the unit has no objective.
    public var shareOfObjective: Double?

    /// Whether the plan sets an objective here (a zero objective counts as none).
    public var hasObjective: Bool { (planObjective ?? 0) > 0 }

    public init(planObjective: Double?, proratedObjective: Double?, annualObjective: Double?, production: Int,
                rateAgainstPlan: Double?, rateAgainstProrated: Double?, annualRhythm: Double,
                shareOfProduction: Double?, shareOfObjective: Double?) {
        self.planObjective = planObjective
        self.proratedObjective = proratedObjective
        self.annualObjective = annualObjective
        self.production = production
        self.rateAgainstPlan = rateAgainstPlan
        self.rateAgainstProrated = rateAgainstProrated
        self.annualRhythm = annualRhythm
        self.shareOfProduction = shareOfProduction
        self.shareOfObjective = shareOfObjective
    }
}

/// A unit of the territory and its figures, per segment (in the project's segment order) and for all segments.
public struct UnitFigures: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case commune(Commune)
        case category(Category)
        case epci
    }

    public var kind: Kind
    public var bySegment: [SegmentFigures]
    /// All segments together (« ensemble »).
    public var total: Figures

    public init(kind: Kind, bySegment: [SegmentFigures], total: Figures) {
        self.kind = kind
        self.bySegment = bySegment
        self.total = total
    }

    /// Figures of one segment by its code.
    public func figures(for segment: String) -> Figures? {
        bySegment.first { $0.segment.code == segment }?.figures
    }
}

/// The figures of one segment within a unit.
public struct SegmentFigures: Hashable, Sendable {
    public var segment: Segment
    public var figures: Figures

    public init(segment: Segment, figures: Figures) {
        self.segment = segment
        self.figures = figures
    }
}

/// Everything a bilan computes, for every commune, category and the whole EPCI.
public struct Achievement: Hashable, Sendable {
    public var planYears: Int
    public var countedYears: [Int]
    /// Years counted / plan years: the share of the plan objective expected at the date of the bilan.
    public var expectedShare: Double
    public var epci: UnitFigures
    /// In the order of the project's categories.
    public var categories: [UnitFigures]
    /// In the order of the project's communes.
    public var communes: [UnitFigures]
    /// Production counted, by commune (project order), year and segment (project order); zero rows omitted.
    public var countedProduction: [ProductionRecord]
    /// Production records outside the counted years, which the bilan ignores.
    public var uncountedRecords: Int
}
