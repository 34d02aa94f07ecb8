/// Control characters from input files (commune names, labels, file names) must not reach a terminal, a
/// document or a spreadsheet: an escape sequence in a name could rewrite the user's terminal, and a
/// control character is invalid in HTML. Outputs remove them when they write text (the HTML and CSV
/// escapers, `Diagnostic.description`), so that every input path is covered.
extension String {
    /// Whether the text has a character `withoutControlCharacters` would remove.
    public var containsControlCharacters: Bool {
        var text = self
        return text.withUTF8 { ControlCharacters.contains($0) }
    }

    /// The text without C0 controls (tab and line feed kept), DEL, C1 controls, and without the terminal
    /// escape sequences they start (`ESC [ … m`, `ESC ] … BEL`): what is left is printable as is.
    public var withoutControlCharacters: String {
        guard containsControlCharacters else { return self }
        let scalars = Array(unicodeScalars)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            guard ControlCharacters.isControl(scalar) else {
                UTF8.encode(scalar) { out.append($0) }
                continue
            }
            // An escape sequence goes with its ESC, so that no half of it shows as text.
            guard scalar == "\u{1B}", i < scalars.count else { continue }
            switch scalars[i] {
            case "[":  // CSI: parameters and intermediates, then one final byte.
                i += 1
                while i < scalars.count, (0x20...0x3F).contains(scalars[i].value) { i += 1 }
                if i < scalars.count, (0x40...0x7E).contains(scalars[i].value) { i += 1 }
            case "]", "P", "X", "^", "_":  // OSC and other strings: up to BEL or ESC \.
                i += 1
                while i < scalars.count, scalars[i] != "\u{07}", scalars[i] != "\u{1B}" { i += 1 }
                if i < scalars.count, scalars[i] == "\u{07}" { i += 1 }
                if i + 1 < scalars.count, scalars[i] == "\u{1B}", scalars[i + 1] == "\\" { i += 2 }
            default:  // A two-character sequence (ESC c, ESC 7…).
                if (0x20...0x7E).contains(scalars[i].value) { i += 1 }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The control characters `withoutControlCharacters` removes, found in UTF-8 bytes.
public enum ControlCharacters {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A) || (0x7F...0x9F).contains(v)
    }

    /// A byte scan: most texts have no control character and are not copied. Eight bytes at a time where they are
    /// all printable ASCII (a bilan's charts are tens of kilobytes of it); byte by byte elsewhere.
    public static func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var previous: UInt8 = 0
        var i = 0
        @inline(__always) func suspicious(_ byte: UInt8) -> Bool {
            defer { previous = byte }
            return (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F)
        }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Some byte below 0x20, some byte equal to 0x7F, some byte from 0x80: these eight are looked at one by one.
            let below = (word &- ones &* 0x20) & ~word & highs
            let delete = ((word ^ (ones &* 0x7F)) &- ones) & ~(word ^ (ones &* 0x7F)) & highs
            if below | delete | (word & highs) == 0 {
                previous = UInt8(truncatingIfNeeded: word >> 56)
            } else {
                for k in i..<i + 8 where suspicious(base[k]) { return true }
            }
            i += 8
        }
        while i < count {
            if suspicious(base[i]) { return true }
            i += 1
        }
        return false
    }
}
