/// A calendar day with no time and no time zone, so that a bilan never depends on the host's clock settings.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil when the day does not exist (31 April, 29 February of a common year...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2019-06-25` (ISO 8601) or `25/06/2019` (French usage).
    public init?(parsing text: String) {
        // On UTF-8 bytes: a date is ASCII digits and separators, so anything else is simply not a date.
        var bytes = Array(text.utf8)[...]
        while bytes.first == 0x20 { bytes.removeFirst() }
        while bytes.last == 0x20 { bytes.removeLast() }
        let iso = bytes.split(separator: 0x2D, omittingEmptySubsequences: false)
        let french = bytes.split(separator: 0x2F, omittingEmptySubsequences: false)
        let parts: [ArraySlice<UInt8>]
        let order: (Int, Int, Int)
        if iso.count == 3, iso[0].count == 4 {
            parts = iso; order = (0, 1, 2)
        } else if french.count == 3, french[2].count == 4 {
            parts = french; order = (2, 1, 0)
        } else {
            return nil
        }
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { (0x30...0x39).contains($0) } }) else { return nil }
        func number(_ digits: ArraySlice<UInt8>) -> Int { digits.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        self.init(year: number(parts[order.0]), month: number(parts[order.1]), day: number(parts[order.2]))
    }

    /// `2019-06-25`.
    public var iso8601: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso8601 }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
