import Foundation

/// Folds a user-typed name for comparison: lower case, no accents, `_` for spaces, dashes and apostrophes.
public func normalisedName(_ text: String) -> String {
    // Most names compared are ASCII or French (headers, codes, commune names with accents): their letters are
    // folded from a table; any other letter (œ, ß, Greek…) goes through Foundation's Unicode folding.
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    func separator() { if out.last != 0x5F { out.append(0x5F) } }
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
        switch byte {
        case 0x20, 0x2D, 0x27, 0x2E: separator()
        case 0x41...0x5A: out.append(byte + 0x20)
        case 0x00..<0x80: out.append(byte)
        case 0xC3:
            // U+00C0…U+00FF: the second byte is 0x80 + (scalar − 0xC0).
            guard let next = bytes.next(), (0x80...0xBF).contains(next),
                  let base = latinBase[Int(next - 0x80)] else { return foldedName(text) }
            out.append(base)
        case 0xE2:
            // U+2019, the typographic apostrophe: a separator like « ' ».
            guard bytes.next() == 0x80, bytes.next() == 0x99 else { return foldedName(text) }
            separator()
        default:
            return foldedName(text)
        }
    }
    let start = out.firstIndex { $0 != 0x5F } ?? out.endIndex
    let end = out.lastIndex { $0 != 0x5F }.map { $0 + 1 } ?? start
    return String(decoding: out[start..<max(start, end)], as: UTF8.self)
}

/// The unaccented lower-case letter of U+00C0…U+00FF, by offset from U+00C0, for the letters whose
/// canonical decomposition is a base letter and a diacritic; nil for the others (Æ, Ð, ×, Ø, Þ, ß…).
private let latinBase: [UInt8?] = {
    let letters = "aaaaaa?ceeeeiiii?nooooo??uuuuy??aaaaaa?ceeeeiiii?nooooo??uuuuy?y"
    return letters.utf8.map { $0 == 0x3F ? nil : $0 }
}()

/// `normalisedName` for any text: accents and case folded by Foundation.
func foldedName(_ text: String) -> String {
    let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    var out = ""
    for scalar in folded.unicodeScalars {
        switch scalar {
        case " ", "-", "'", "\u{2019}", ".": if !out.hasSuffix("_") { out.append("_") }
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
}

/// Edit distance between two strings, counted in characters; swapping two neighbours counts as one edit
/// (a typed `62489` is one edit away from `62498`).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], before[j - 2] + 1)
            }
        }
        before = previous
        previous = current
    }
    return previous[b.count]
}

/// The candidates closest to `word`: those at the smallest edit distance, within a third of its length (at most `limit`), for « vouliez-vous dire … ? » hints.
public func nearest(_ word: String, among candidates: [String], limit: Int = 3) -> [String] {
    let key = normalisedName(word)
    let threshold = max(2, key.count / 3)
    let scored = candidates.map { ($0, editDistance(key, normalisedName($0))) }
        .filter { $0.1 <= threshold }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    guard let best = scored.first?.1 else { return [] }
    var seen = Set<String>()
    return scored.filter { $0.1 == best }.map(\.0).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
}

/// `« a », « b » ou « c »`.
public func frenchList(_ items: [String]) -> String {
    frenchEnumeration(items.map { "« \($0) »" }, conjunction: "ou")
}

/// `a`, `a et b`, `a, b et c` (or with another conjunction).
public func frenchEnumeration(_ items: [String], conjunction: String = "et") -> String {
    zip(items, frenchEnumerationSeparators(items.count, conjunction: conjunction)).map { $0 + $1 }.joined()
}

/// What follows each of `count` items in a French enumeration: « , » between two, « et » before the last,
/// nothing after it (for templates that mark up each item).
public func frenchEnumerationSeparators(_ count: Int, conjunction: String = "et") -> [String] {
    (0..<count).map { $0 == count - 1 ? "" : $0 == count - 2 ? " \(conjunction) " : ", " }
}

public func suggestion(for word: String, among candidates: [String]) -> String? {
    let found = nearest(word, among: candidates)
    return found.isEmpty ? nil : "vouliez-vous dire \(frenchList(found)) ?"
}

/// `CA de Lens - Liévin` → `ca-de-lens-lievin`: lower-case ASCII letters and digits joined by dashes.
public func slug(_ text: String) -> String {
    var out = ""
    for scalar in normalisedName(text).unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            out.unicodeScalars.append(scalar)
        } else if !out.isEmpty && !out.hasSuffix("-") {
            out += "-"
        }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out
}
