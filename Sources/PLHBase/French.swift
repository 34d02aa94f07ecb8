import PLHModel

/// French formatting of numbers, rates and dates, done by hand so that it never depends on the host's locale data.
public enum French {
    /// Narrow no-break space, the thousands separator of French typography.
    public static let thousandsSeparator = "\u{202F}"
    /// No-break space, before « % ».
    public static let noBreakSpace = "\u{A0}"

    /// `1 310` (narrow no-break spaces between groups of three digits).
    public static func integer(_ value: Int) -> String {
        if value >= 0 && value < 1000 { return String(value) }
        var digits: [UInt8] = []
        appendDigits(ofMagnitude: value.magnitude, to: &digits)
        var out: [UInt8] = value < 0 ? [0xE2, 0x88, 0x92] : []  // « − »
        out.reserveCapacity(out.count + digits.count * 2)
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += [0xE2, 0x80, 0xAF] }  // U+202F
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A number with at most `decimals` decimals, comma separated, trailing zeros dropped: `62,5`, `1 310`.
    public static func number(_ value: Double, decimals: Int = 1, grouping: Bool = true) -> String {
        let (negative, whole, fraction) = split(value, decimals: decimals)
        var text = grouping ? integer(whole) : String(whole)
        if !fraction.isEmpty { text += "," + fraction }
        return negative && (whole != 0 || !fraction.isEmpty) ? "−" + text : text
    }

    /// A number with exactly `decimals` decimals, trailing zeros kept: `45,0` beside `23,3` in a column.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        let text = number(value, decimals: decimals)
        guard decimals > 0 else { return text }
        let present = text.firstIndex(of: ",").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
        if present < 0 { return text + "," + String(repeating: "0", count: decimals) }
        return text + String(repeating: "0", count: decimals - present)
    }

    /// `33 %` from 0.333; rates are shown as whole percents in the document.
    public static func percent(_ fraction: Double, decimals: Int = 0) -> String {
        number(fraction * 100, decimals: decimals) + noBreakSpace + "%"
    }

    /// Plain number for spreadsheets: no grouping, decimal comma, ASCII minus (`-12,5`, `33,3`).
    public static func plainNumber(_ value: Double, decimals: Int = 1) -> String {
        let (negative, whole, fraction) = split(value, decimals: decimals)
        var text = String(whole)
        if !fraction.isEmpty { text += "," + fraction }
        return negative && (whole != 0 || !fraction.isEmpty) ? "-" + text : text
    }

    /// Rounds half away from zero, then splits into sign, whole part and trimmed decimal digits.
    static func split(_ value: Double, decimals: Int) -> (Bool, Int, String) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let units = Int(scaled)
        let factor = Int(scale)
        var fraction = ""
        if decimals > 0 {
            let digits = String(units % factor)
            fraction = String(repeating: "0", count: decimals - digits.count) + digits
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        return (value < 0, units / factor, fraction)
    }

    /// `split(value, decimals: 1)` as numbers: sign, whole part, tenths.
    package static func roundedTenths(_ value: Double) -> (negative: Bool, whole: Int, tenths: Int) {
        let units = Int((abs(value) * 10).rounded(.toNearestOrAwayFromZero))
        return (value < 0, units / 10, units % 10)
    }

    /// The decimal digits of `value` (ASCII minus when negative), as `String(value)` writes them.
    package static func appendDigits(of value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(0x2D) }
        appendDigits(ofMagnitude: value.magnitude, to: &bytes)
    }

    package static func appendDigits(ofMagnitude value: UInt, to bytes: inout [UInt8]) {
        var magnitude = value
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            // As a buffer of bytes, the digits are copied at once (a slice of the raw buffer is copied byte by byte).
            bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (20 - count), count: count))
        }
    }

    static let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                         "août", "septembre", "octobre", "novembre", "décembre"]

    /// `25 juin 2019`, `1er janvier 2020`.
    public static func date(_ date: CalendarDate) -> String {
        "\(date.day == 1 ? "1er" : String(date.day)) \(months[date.month - 1]) \(date.year)"
    }

    /// French typography for running text: the space before `;`, `:`, `!`, `?`, `»` and after `«` becomes a
    /// no-break space, so that the sign never starts a line; so does the space inside a number (« 1 310 »,
    /// narrow) and before `%` or `€`; an apostrophe between two letters becomes the typographic one (’).
    public static func typography(_ text: String) -> String {
        // Most texts (numbers, names) have nothing to change: a byte scan says so without copying.
        var text = text
        let needed = text.withUTF8 { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                // « is C2 AB; the signs ; : ! ? and » (C2 BB) after a space.
                if (previous == 0x20 && (byte == 0x3B || byte == 0x3A || byte == 0x21 || byte == 0x3F || byte == 0xC2)) || byte == 0xAB {
                    return true
                }
                // A space after a digit: maybe a thousands group (« 1 310 ») or a unit (« 25 % », « 3 000 € »).
                if previous >= 0x30 && previous <= 0x39 && byte == 0x20 { return true }
                // A straight apostrophe, which becomes the typographic one.
                if byte == 0x27 { return true }
                previous = byte
            }
            return false
        }
        guard needed else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            // « l'accession », « aujourd'hui »: between two letters, the apostrophe is the typographic one.
            if scalar == "'", i > 0, i + 1 < scalars.count, scalars[i - 1].properties.isAlphabetic,
               scalars[i + 1].properties.isAlphabetic {
                out.append("\u{2019}")
                continue
            }
            if scalar == " " {
                let next = i + 1 < scalars.count ? scalars[i + 1] : nil
                let previous = i > 0 ? scalars[i - 1] : nil
                if let next, ";:!?»".unicodeScalars.contains(next) {
                    out.append(next == ":" || next == "»" ? "\u{A0}" : "\u{202F}")
                    continue
                }
                if let previous, isDigit(previous), let next {
                    // « 1 310 », « 3 000 000 »: groups of three digits after a group of one to three.
                    if isThousandsGroup(scalars, after: i), digitRun(scalars, endingBefore: i) <= 3 {
                        out.append(thousandsSeparator.unicodeScalars.first!)
                        continue
                    }
                    if next == "%" || next == "€" { out.append("\u{A0}"); continue }
                }
                if previous == "«" { out.append("\u{A0}"); continue }
            }
            out.append(scalar)
        }
        return String(out)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x30 && scalar.value <= 0x39 }

    /// Whether three digits, and no fourth, follow the space at `index`.
    static func isThousandsGroup(_ scalars: [Unicode.Scalar], after index: Int) -> Bool {
        guard index + 3 < scalars.count else { return false }
        for k in 1...3 where !isDigit(scalars[index + k]) { return false }
        return index + 4 >= scalars.count || !isDigit(scalars[index + 4])
    }

    /// How many digits (across earlier thousands separators) end just before `index`: 3 for « 1 310| ».
    static func digitRun(_ scalars: [Unicode.Scalar], endingBefore index: Int) -> Int {
        var count = 0, i = index - 1
        while i >= 0, isDigit(scalars[i]) { count += 1; i -= 1 }
        return count
    }

    /// `a`, `a et b`, `a, b et c`.
    public static func list(_ items: [String]) -> String {
        frenchEnumeration(items)
    }

    /// `bilan triennal` (lower case, for running text).
    public static func kind(_ kind: BilanKind) -> String {
        switch kind {
        case .annuel: return "bilan annuel"
        case .triennal: return "bilan triennal"
        case .final: return "bilan final"
        }
    }

    /// What is counted: `logements autorisés`.
    public static func stage(_ stage: CountingStage) -> String { stage.dwellings }

    /// The text with its first letter in capitals: `Bilan triennal`.
    public static func capitalised(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    /// `1 logement`, `2 logements`: French plural (0 and 1 are singular).
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(integer(n)) \(abs(n) > 1 ? plural ?? singular + "s" : singular)"
    }
}
