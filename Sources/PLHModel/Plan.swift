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

    /// The years a name ends with (`PLH 2 2014-2020`, `PLH 2014 – 2020`), and the name before them.
    public var namedYears: (stem: String, years: ClosedRange<Int>)? {
        let scalars = Array(name.unicodeScalars)
        func digits(_ end: Int) -> (Int, Int)? {
            guard end >= 4 else { return nil }
            let part = scalars[(end - 4)..<end]
            guard part.allSatisfy({ $0.properties.numericType != nil && $0.isASCII }) else { return nil }
            return (Int(String(String.UnicodeScalarView(part)))!, end - 4)
        }
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " { end -= 1 }
        guard let (last, lastStart) = digits(end) else { return nil }
        var i = lastStart
        while i > 0, [" ", "-", "–", "—", "\u{A0}"].contains(scalars[i - 1]) { i -= 1 }
        guard i < lastStart, let (first, firstStart) = digits(i), first <= last,
              firstStart == 0 || scalars[firstStart - 1] == " " || scalars[firstStart - 1] == "\u{A0}" else { return nil }
        var stemEnd = firstStart
        while stemEnd > 0, scalars[stemEnd - 1] == " " || scalars[stemEnd - 1] == "\u{A0}" { stemEnd -= 1 }
        return (String(String.UnicodeScalarView(scalars[0..<stemEnd])), first...last)
    }

    /// The name as a title: its years in parentheses, `PLH 2 (2014-2020)`; the name alone when it has none.
    public var title: String {
        guard let (stem, years) = namedYears, !stem.isEmpty else { return name }
        return "\(stem) (\(years.lowerBound)-\(years.upperBound))"
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

/// The stage at which dwellings are counted, the one vocabulary of plh.yaml (`bilan.stade`), `import --stage`,
/// `sources.csv` (`stade`), the bilan and the messages. An approval is not a dwelling completed.
public enum CountingStage: String, CaseIterable, Sendable {
    case autorises, commences, acheves, agrees

    /// The code written in files and options: `autorises`, `commences`, `acheves`, `agrees`.
    public var code: String { rawValue }

    /// Older codes still read: `livres`, which projects written before `acheves` (Sitadel's word) used.
    public static let aliases: [String: CountingStage] = ["livres": .acheves]

    /// The stage a code stands for (canonical or alias), already normalised (lower case, no accents); nil if none.
    public init?(code: String) {
        guard let stage = CountingStage(rawValue: code) ?? Self.aliases[code] else { return nil }
        self = stage
    }

    /// « logements autorisés »: what a bilan counting this stage counts, in every message and page.
    public var dwellings: String { "logements " + participle }

    /// « autorisés », « commencés », « achevés », « agréés ».
    public var participle: String {
        switch self {
        case .autorises: "autorisés"
        case .commences: "commencés"
        case .acheves: "achevés"
        case .agrees: "agréés"
        }
    }

    /// The event whose date dates the stage, after « date d' »: « autorisation », « achèvement ».
    public var event: String {
        switch self {
        case .autorises: "autorisation"
        case .commences: "ouverture de chantier"
        case .acheves: "achèvement"
        case .agrees: "agrément"
        }
    }

    /// The Sitadel columns that date this stage, in the names SDES used over the vintages, first the current one;
    /// empty for approvals, which Sitadel does not give.
    public var sitadelDateColumns: [String] {
        switch self {
        case .autorises: ["DATE_REELLE_AUTORISATION", "DATE_AUTORISATION", "DATE_REELLE_AUT"]
        case .commences: ["DATE_REELLE_DOC", "DATE_DOC"]
        case .acheves: ["DATE_REELLE_DAACT", "DATE_DAACT"]
        case .agrees: []
        }
    }

    /// The stages a Sitadel file dates.
    public static var sitadel: [CountingStage] { allCases.filter { !$0.sitadelDateColumns.isEmpty } }
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
    /// Where the production figures come from when no file was imported, as the project declares it
    /// (« Sitadel, logements autorisés en date réelle, données arrêtées en février 2019 »).
    public var source: String?

    public init(kind: BilanKind, date: CalendarDate, instance: String? = nil, instanceDate: CalendarDate? = nil,
                countedYears: [Int], stage: CountingStage, notice: String? = nil, source: String? = nil) {
        self.source = source
        self.kind = kind
        self.date = date
        self.instance = instance
        self.instanceDate = instanceDate
        self.countedYears = countedYears
        self.stage = stage
        self.notice = notice
    }
}
