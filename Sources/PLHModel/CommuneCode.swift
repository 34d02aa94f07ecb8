/// The one rule for an INSEE commune code, used by every reader: projects, observatories, imports, `init`.
///
/// Five characters: digits, or `2A`/`2B` then three digits (Corsica). A four-digit code is one whose leading
/// zero a spreadsheet dropped (`1001` for `01001`): it is completed, and the reader says so once per file.
public enum CommuneCode {
    /// The code, upper-cased and completed, and whether a zero was added; nil when `raw` is no commune code.
    public static func read(_ raw: String) -> (code: String, padded: Bool)? {
        // Read from the bytes, without copying them: every row of every table goes through here.
        let utf8 = raw.utf8
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        switch utf8.count {
        case 4:
            return utf8.allSatisfy(digit) ? ("0" + raw, true) : nil
        case 5:
            var lowercase = false
            for (i, b) in utf8.enumerated() where !digit(b) {
                // `2A004`, `2b033`.
                guard i == 1, utf8.first == 0x32, b == 0x41 || b == 0x42 || b == 0x61 || b == 0x62 else { return nil }
                lowercase = b >= 0x61
            }
            return (lowercase ? raw.uppercased() : raw, false)
        default:
            return nil
        }
    }

    /// The département part of a code: two characters, three overseas (`971`…).
    public static func department(of code: String) -> String {
        // A code of visible ASCII, as every valid one is: its first bytes are its first characters.
        let utf8 = code.utf8
        if utf8.count <= 16, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            let length = utf8.starts(with: [0x39, 0x37]) ? 3 : 2
            return String(decoding: utf8.prefix(length), as: UTF8.self)
        }
        return String(code.prefix(code.hasPrefix("97") ? 3 : 2))
    }
}

/// The largest values PLH Bilan reads, so that no input can overflow a sum or a conversion: each bound is far
/// above any real figure (the largest EPCI has about seven million inhabitants) and far below `Int.max`.
public enum Limits {
    /// Dwellings in one row of production (one commune, one year, one segment) or one permit.
    public static let dwellings = 1_000_000
    /// Dwellings of one objective line, over the plan or a year.
    public static let objective = 10_000_000
    /// Inhabitants of one commune.
    public static let population = 100_000_000
    /// Rows of one imported file (a national Sitadel file has millions).
    public static let rowsOfAFile = 1_000_000_000
    /// Calendar years a plan, a bilan or a record can name.
    public static let years = 1900...2200
}
