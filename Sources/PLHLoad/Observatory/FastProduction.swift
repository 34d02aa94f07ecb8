import PLHModel

/// The national production table read straight from its bytes, in its usual clean shape: UTF-8, `;`,
/// the header `code_insee;annee;segment;logements`, no quotes, no spaces, whole numbers, known segments,
/// years inside each plan. Anything else (and every error message) is left to the general CSV path,
/// which gives the same records: this path is only quicker, and a test compares the two.
struct FastProduction {
    static let header = Array("code_insee;annee;segment;logements".utf8)

    let bytes: [UInt8]
    let communeByKey: [Int32]
    let hasPlan: [Bool]
    let plans: [ClosedRange<Int>?]
    let segments: [[UInt8]]

    /// A row's four fields: commune code, year, segment, dwellings.
    typealias Fields = (ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>)

    /// Walks the rows, handing each kept row to `keep` and the line of each unknown commune to `unknown`.
    /// Returns false as soon as a row is not of the clean shape: the caller then drops what it was given.
    func walk(keep: (Int, ProductionRecord, Fields) -> Void = { _, _, _ in },
              unknown: (Int) -> Void = { _ in }) -> Bool {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let n = bytes.count
        guard bytes[i...].starts(with: Self.header) else { return false }
        i += Self.header.count
        var line = 1
        while i < n {
            // End of the previous line.
            if bytes[i] == 0x0D { i += 1 }
            guard i < n, bytes[i] == 0x0A else { return false }
            i += 1
            line += 1
            if i >= n { break }
            if bytes[i] == 0x0A || bytes[i] == 0x0D { continue }
            let start = i
            var ends = (0, 0, 0, 0)
            for f in 0..<4 {
                while i < n, bytes[i] != 0x3B, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    if bytes[i] == 0x22 || bytes[i] == 0x20 || bytes[i] >= 0x80 { return false }
                    i += 1
                }
                switch f {
                case 0: ends.0 = i
                case 1: ends.1 = i
                case 2: ends.2 = i
                default: ends.3 = i
                }
                if f < 3 {
                    guard i < n, bytes[i] == 0x3B else { return false }
                    i += 1
                }
            }
            guard i >= n || bytes[i] == 0x0A || bytes[i] == 0x0D else { return false }
            let code = bytes[start..<ends.0]
            let yearBytes = bytes[(ends.0 + 1)..<ends.1]
            let segmentBytes = bytes[(ends.1 + 1)..<ends.2]
            let countBytes = bytes[(ends.2 + 1)..<ends.3]
            guard let key = Self.communeKey(code) else { return false }
            let epci = Int(communeByKey[key])
            guard epci >= 0 else {
                unknown(line)
                continue
            }
            guard hasPlan[epci] else { continue }
            guard let year = Self.number(yearBytes), let count = Self.number(countBytes),
                  let segment = segments.firstIndex(where: { $0.elementsEqual(segmentBytes) }),
                  let plan = plans[epci], plan.contains(year) else { return false }
            keep(epci, ProductionRecord(commune: String(decoding: code, as: UTF8.self), year: year,
                                        segment: String(decoding: segments[segment], as: UTF8.self), dwellings: count),
                 (code, yearBytes, segmentBytes, countBytes))
        }
        return true
    }

    /// One to nine ASCII digits.
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// `CommuneKey` from bytes, without making a string.
    static func communeKey(_ code: ArraySlice<UInt8>) -> Int? {
        guard code.count == 5 else { return nil }
        let b0 = code[code.startIndex], b1 = code[code.startIndex + 1]
        var value: Int
        switch (b0, b1) {
        case (0x32, 0x41): value = 200
        case (0x32, 0x42): value = 201
        case (0x30...0x39, 0x30...0x39): value = Int(b0 - 0x30) * 10 + Int(b1 - 0x30)
        default: return nil
        }
        for b in code.dropFirst(2) {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value < CommuneKey.limit ? value : nil
    }
}
