/// How a quantified objective is expressed in the plan.
public enum ObjectivePeriod: String, Sendable {
    /// Dwellings over the whole plan.
    case plan
    /// Dwellings each year of the plan.
    case annual
}

/// One objective line: a category (or a single commune) and a segment.
public struct Objective: Hashable, Sendable {
    public enum Scope: Hashable, Sendable {
        case category(String)
        case commune(String)
    }

    public var scope: Scope
    public var segment: String
    /// Dwellings, possibly fractional (« 12,5 logements par an »).
    public var dwellings: Double
    public var period: ObjectivePeriod

    public init(scope: Scope, segment: String, dwellings: Double, period: ObjectivePeriod) {
        self.scope = scope
        self.segment = segment
        self.dwellings = dwellings
        self.period = period
    }

    /// The objective over the plan, in dwellings.
    public func overPlan(duration: Int) -> Double {
        period == .plan ? dwellings : dwellings * Double(duration)
    }
}

/// Dwellings produced in one commune, one year, one segment, at the bilan's counting stage.
public struct ProductionRecord: Hashable, Sendable {
    public var commune: String
    public var year: Int
    public var segment: String
    public var dwellings: Int

    public init(commune: String, year: Int, segment: String, dwellings: Int) {
        self.commune = commune
        self.year = year
        self.segment = segment
        self.dwellings = dwellings
    }
}

/// Officer-written Markdown, kept with the file it came from.
public struct Narrative: Hashable, Sendable {
    /// The path as written in the project file, relative to the project folder.
    public var path: String
    /// The path as shown in messages (with the project folder).
    public var displayPath: String
    public var markdown: String

    public init(path: String, displayPath: String? = nil, markdown: String) {
        self.path = path
        self.displayPath = displayPath ?? path
        self.markdown = markdown
    }
}

/// One of the plan's axes, with its narratives.
public struct Orientation: Hashable, Sendable {
    public var title: String
    /// Whether this orientation carries the quantified production bilan (global and per category tables).
    public var hasProductionBilan: Bool
    public var globalNarrative: Narrative?
    /// Comments per category code.
    public var categoryNarratives: [String: Narrative]
    public var perspectives: Narrative?

    public init(title: String, hasProductionBilan: Bool = false, globalNarrative: Narrative? = nil,
                categoryNarratives: [String: Narrative] = [:], perspectives: Narrative? = nil) {
        self.title = title
        self.hasProductionBilan = hasProductionBilan
        self.globalNarrative = globalNarrative
        self.categoryNarratives = categoryNarratives
        self.perspectives = perspectives
    }
}
