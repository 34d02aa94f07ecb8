import Foundation

/// Folds a user-typed name for comparison: lower case, no accents, `_` for spaces, dashes and apostrophes.
public func normalisedName(_ text: String) -> String {
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

/// Edit distance between two strings, counted in characters.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidates closest to `word` (at most `limit`), for « vouliez-vous dire … ? » hints.
public func nearest(_ word: String, among candidates: [String], limit: Int = 3) -> [String] {
    let key = normalisedName(word)
    let threshold = max(2, key.count / 3)
    let scored = candidates.map { ($0, editDistance(key, normalisedName($0))) }
        .filter { $0.1 <= threshold }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    var seen = Set<String>()
    return scored.map(\.0).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
}

/// `« a », « b » ou « c »`.
public func frenchList(_ items: [String]) -> String {
    let quoted = items.map { "« \($0) »" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " ou " + quoted.last!
}

public func suggestion(for word: String, among candidates: [String]) -> String? {
    let found = nearest(word, among: candidates)
    return found.isEmpty ? nil : "vouliez-vous dire \(frenchList(found)) ?"
}
