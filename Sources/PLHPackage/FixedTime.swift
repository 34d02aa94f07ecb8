import Foundation
import PLHBase
import PLHModel

/// The one instant written into reproducible outputs (ZIP entry dates, PDF dates): the bilan's date at noon UTC,
/// or `SOURCE_DATE_EPOCH` when set (`RunSettings.sourceDateEpoch`), so that the same inputs give the same bytes on any day.
public struct FixedTime: Sendable, Equatable {
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    public init(bilanDate: CalendarDate, settings: RunSettings) {
        self.init(bilanDate: bilanDate, sourceDateEpoch: settings.sourceDateEpoch)
    }

    /// With the variables of `environment` (given, never read from the process).
    public init(bilanDate: CalendarDate, environment: [String: String]) {
        self.init(bilanDate: bilanDate, settings: RunSettings(environment: environment))
    }

    public init(bilanDate: CalendarDate, sourceDateEpoch: Int?) {
        if let seconds = sourceDateEpoch, seconds >= 0 {
            var time = time_t(seconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            (year, month, day) = (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
            (hour, minute, second) = (Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        } else {
            (year, month, day) = (bilanDate.year, bilanDate.month, bilanDate.day)
            (hour, minute, second) = (12, 0, 0)
        }
    }

    /// As a `Date`, for libraries that want one (ZIPFoundation converts it back with `gmtime`).
    public var date: Date {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// `20190625120000`, as PDF dates write it.
    var digits: String {
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
    }
}

extension ZipWriter {
    /// An archive whose entries are all dated `time`.
    init(time: FixedTime) {
        self.init(year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second)
    }
}
