/// The rules that turn figures into findings (constats).
public enum FindingRule: String, CaseIterable, Hashable, Sendable {
    /// Objective reached, on track or behind at the date of the bilan.
    case avancement
    /// A segment (or family of segments) over- or under-represented against its planned share.
    case representation
    /// A segment with an objective and no production at all.
    case absence
    /// Segments whose plan objective is already exceeded.
    case depassement
    /// The categories ranked by their rate.
    case classement
    /// A wide gap between the best and the worst category.
    case disparite
}

/// How findings are made, from the project file's `constats:` section; the defaults suit most plans.
public struct FindingSettings: Hashable, Sendable {
    /// Rate against the prorated objective from which a unit is « en bonne voie » (0.9: 90 %).
    public var onTrackThreshold: Double
    /// Gap between a segment's share of production and its share of objectives that makes it
    /// over- or under-represented (0.05: 5 points).
    public var representationGap: Double
    /// Gap between the best and worst category rates that makes a « forte disparité » (0.2: 20 points).
    public var disparityGap: Double
    public var disabled: Set<FindingRule>
    /// Texts that replace a finding's, by finding identifier (`avancement/EPCI`…).
    public var texts: [String: String]

    public init(onTrackThreshold: Double = 0.9, representationGap: Double = 0.05, disparityGap: Double = 0.2,
                disabled: Set<FindingRule> = [], texts: [String: String] = [:]) {
        self.onTrackThreshold = onTrackThreshold
        self.representationGap = representationGap
        self.disparityGap = disparityGap
        self.disabled = disabled
        self.texts = texts
    }
}
