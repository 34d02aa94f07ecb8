import Foundation
import PLHBilan

extension French {
    /// The time zone of the pages' dates and times: France's, as the users read them.
    static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 0)!

    /// `2 décembre 2026 à 10 h 05`, in Paris time.
    static func dateTime(_ moment: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        let minute = parts.minute ?? 0
        guard let day = CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) else { return "" }
        return "\(date(day)) à \(parts.hour ?? 0) h \(minute < 10 ? "0" : "")\(minute)"
    }
}
