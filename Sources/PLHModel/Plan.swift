/// The six-year Programme Local de l'Habitat.
public struct Plan: Hashable, Sendable {
    public var name: String
    /// First and last calendar year of the plan, both included.
    public var years: ClosedRange<Int>
    /// The declared total objective in dwellings a year (« 1 310 logements par an »), if the plan states one.
    public var declaredAnnualObjective: Int?

    public init(name: String, years: ClosedRange<Int>, declaredAnnualObjective: Int? = nil) {
        self.name = name
        self.years = years
        self.declaredAnnualObjective = declaredAnnualObjective
    }

    public var duration: Int { years.count }
}

/// A dated step in the life of the plan (adoption, caractère exécutoire, COPIL...).
public struct Milestone: Hashable, Sendable {
    public var date: CalendarDate
    public var label: String

    public init(date: CalendarDate, label: String) {
        self.date = date
        self.label = label
    }
}

/// Which assessment this is.
public enum BilanKind: String, CaseIterable, Sendable {
    case annuel, triennal, final
}

/// The stage at which dwellings are counted. An approval is not a dwelling delivered.
public enum CountingStage: String, CaseIterable, Sendable {
    case autorises, commences, agrees, livres
}

/// The assessment being produced: its kind, date, recipient and what it counts.
public struct Bilan: Hashable, Sendable {
    public var kind: BilanKind
    public var date: CalendarDate
    /// The body it goes to (« Comité régional de l'habitat et de l'hébergement »), and when.
    public var instance: String?
    public var instanceDate: CalendarDate?
    /// The calendar years whose production is counted.
    public var countedYears: [Int]
    public var stage: CountingStage
    /// A notice shown with the figures (for instance: reconstructed data).
    public var notice: String?

    public init(kind: BilanKind, date: CalendarDate, instance: String? = nil, instanceDate: CalendarDate? = nil,
                countedYears: [Int], stage: CountingStage, notice: String? = nil) {
        self.kind = kind
        self.date = date
        self.instance = instance
        self.instanceDate = instanceDate
        self.countedYears = countedYears
        self.stage = stage
        self.notice = notice
    }
}
