/// The rules that turn figures into findings (constats). Their names are the first part of a finding's
/// identifier (`avancement/EPCI`) and the words of `constats.desactiver`: they never change.
public enum FindingRule: String, CaseIterable, Hashable, Sendable {
    /// Objective reached, ahead, on track or behind at the date of the bilan.
    case avancement
    /// A category producing far beyond its pace: its share of the EPCI's production against its share of objectives.
    case exces
    /// Production counted where the plan sets no objective, shown apart from the rates.
    case sansObjectif = "sans_objectif"
    /// A segment (or family of segments) over- or under-represented against its planned share.
    case representation
    /// A segment with an objective and no production at all.
    case absence
    /// Segments whose plan objective is already exceeded.
    case depassement
    /// The categories ranked by their rate (said within the disparity finding when there is one).
    case classement
    /// A wide gap between the best and the worst category, with the categories' ranking.
    case disparite
}

/// How findings are made, from the project file's `constats:` section; the defaults suit most plans.
public struct FindingSettings: Hashable, Sendable {
    /// Rate against the prorated objective from which a unit is « en bonne voie » (0.9: 90 %).
    public var onTrackThreshold: Double
    /// Rate against the prorated objective from which a category's excess is a finding of its own (1.2: 120 %).
    public var excessThreshold: Double
    /// Relative gap between a segment's share of production and its share of objectives that makes it over- or
    /// under-represented (0.25: a share a quarter above or below the planned one). Relative, so that a small
    /// segment (PLAI, 11 % of objectives) is judged as fairly as a large one.
    public var representationGap: Double
    /// The same gap in dwellings, below which no representation finding is made, however large the relative gap:
    /// 2 dwellings instead of 4 is not a finding.
    public var representationMinimum: Double
    /// Gap between the best and worst category rates that makes a « forte disparité » (0.2: 20 points).
    public var disparityGap: Double
    /// Findings stated per unit, most important first (the progress finding counts).
    public var maximum: Int
    public var disabled: Set<FindingRule>
    /// Texts that replace a finding's, by finding identifier (`avancement/EPCI`…).
    public var texts: [String: String]

    public init(onTrackThreshold: Double = 0.9, excessThreshold: Double = 1.2, representationGap: Double = 0.25,
                representationMinimum: Double = 10, disparityGap: Double = 0.2, maximum: Int = 5,
                disabled: Set<FindingRule> = [], texts: [String: String] = [:]) {
        self.onTrackThreshold = onTrackThreshold
        self.excessThreshold = excessThreshold
        self.representationGap = representationGap
        self.representationMinimum = representationMinimum
        self.disparityGap = disparityGap
        self.maximum = maximum
        self.disabled = disabled
        self.texts = texts
    }
}
