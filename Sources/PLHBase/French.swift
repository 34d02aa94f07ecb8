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
        // The decimal digits, zeros on the right dropped, zeros on the left kept: 0,05 for 5 hundredths.
        var rest = units % factor, width = decimals
        while width > 0 && rest % 10 == 0 {
            rest /= 10
            width -= 1
        }
        guard width > 0 else { return (value < 0, units / factor, "") }
        var digits = [UInt8](repeating: 0x30, count: width)
        for k in stride(from: width - 1, through: 0, by: -1) {
            digits[k] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
        return (value < 0, units / factor, String(decoding: digits, as: UTF8.self))
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
        // As a buffer of bytes, the digits are copied at once (a slice of the raw buffer is copied byte by byte).
        withDigits(of: value) { bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: $1)) }
    }

    package static func appendDigits(of value: Int, to bytes: inout ByteBuffer) {
        if value < 0 { bytes.append(0x2D) }
        appendDigits(ofMagnitude: value.magnitude, to: &bytes)
    }

    package static func appendDigits(ofMagnitude value: UInt, to bytes: inout ByteBuffer) {
        withDigits(of: value) { bytes.append($0, count: $1) }
    }

    /// The decimal digits of `value`, written from the end of a buffer on the stack: `body` gets their start and count.
    @inline(__always)
    static func withDigits(of value: UInt, _ body: (UnsafePointer<UInt8>, Int) -> Void) {
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
            body(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (20 - count), count)
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
        // Byte by byte: digits, spaces and the signs are ASCII, « » and € known sequences; only an apostrophe's
        // neighbours are decoded, to know whether they are letters. The output is made at the first change (many texts
        // the scan lets through, « 12 communes », need none), the bytes before it copied at once.
        let changed = text.withUTF8 { bytes -> [UInt8]? in
            let count = bytes.count
            var out: [UInt8] = []
            var copied = 0, changed = false
            func replace(_ i: Int, _ replacement: [UInt8]) {
                if !changed { out.reserveCapacity(count + 16); changed = true }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                out.append(contentsOf: replacement)
                copied = i + 1
            }
            func isDigitByte(_ k: Int) -> Bool { k >= 0 && k < count && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
            for i in 0..<count {
                let byte = bytes[i]
                // « l'accession », « aujourd'hui »: between two letters, the apostrophe is the typographic one.
                if byte == 0x27, i > 0, i + 1 < count, isLetter(endingAt: i - 1, in: bytes), isLetter(startingAt: i + 1, in: bytes) {
                    replace(i, [0xE2, 0x80, 0x99])  // ’
                    continue
                }
                if byte == 0x20, i + 1 < count {
                    let next = bytes[i + 1]
                    // ; ! ? take a narrow no-break space before them, : and » a no-break space.
                    if next == 0x3B || next == 0x21 || next == 0x3F { replace(i, [0xE2, 0x80, 0xAF]); continue }
                    if next == 0x3A || (next == 0xC2 && i + 2 < count && bytes[i + 2] == 0xBB) { replace(i, [0xC2, 0xA0]); continue }
                    if isDigitByte(i - 1) {
                        // « 1 310 », « 3 000 000 »: groups of three digits after a group of one to three.
                        let group = isDigitByte(i + 1) && isDigitByte(i + 2) && isDigitByte(i + 3) && !isDigitByte(i + 4)
                        var run = 0
                        while isDigitByte(i - 1 - run) { run += 1 }
                        if group && run <= 3 { replace(i, [0xE2, 0x80, 0xAF]); continue }
                        // « 25 % », « 3 000 € ».
                        if next == 0x25 || (next == 0xE2 && i + 3 < count && bytes[i + 2] == 0x82 && bytes[i + 3] == 0xAC) {
                            replace(i, [0xC2, 0xA0]); continue
                        }
                    }
                }
                // « texte »: a no-break space after the opening guillemet.
                if byte == 0x20, i >= 2, bytes[i - 2] == 0xC2, bytes[i - 1] == 0xAB { replace(i, [0xC2, 0xA0]); continue }
            }
            guard changed else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<count]))
            return out
        }
        return changed.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// Whether the scalar whose UTF-8 encoding starts at byte `index` is a letter (ASCII ones without decoding).
    static func isLetter(startingAt index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let lead = bytes[index]
        if lead < 0x80 { return (lead | 0x20) >= 0x61 && (lead | 0x20) <= 0x7A }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, index + length <= bytes.count else { return false }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]), as: UTF8.self)
            .unicodeScalars.first?.properties.isAlphabetic == true
    }

    /// Whether the scalar whose UTF-8 encoding ends at byte `index` is a letter.
    static func isLetter(endingAt index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = index
        while start > 0 && bytes[start] & 0xC0 == 0x80 && index - start < 3 { start -= 1 }
        return isLetter(startingAt: start, in: bytes)
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
