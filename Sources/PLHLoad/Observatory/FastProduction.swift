import Foundation
import PLHModel

/// The national production table read straight from its bytes, in its usual clean shape: UTF-8, `;`,
/// the header `code_insee;annee;segment;logements`, no quotes, no spaces, whole numbers, known segments,
/// years inside each plan, counts within `Limits.dwellings`. Anything else (and every error message) is left to the general CSV path,
/// which gives the same records: this path is only quicker, and a test compares the two.
///
/// The rows are cut into one slice per core at line boundaries and walked in parallel.
struct FastProduction: Sendable {
    static let header = Array("code_insee;annee;segment;logements".utf8)

    let bytes: [UInt8]
    let communeByKey: [Int32]
    /// Each known commune's code as a string, by key: records share them instead of decoding each.
    let codeByKey: [String?]
    let hasPlan: [Bool]
    let plans: [ClosedRange<Int>?]
    let segments: [[UInt8]]
    let segmentCodes: [String]

    init(bytes: [UInt8], communes: [String: Int], hasPlan: [Bool], plans: [ClosedRange<Int>?],
         segments: [String]) {
        self.bytes = bytes
        var communeByKey = [Int32](repeating: -1, count: CommuneKey.limit)
        var codeByKey = [String?](repeating: nil, count: CommuneKey.limit)
        for (code, epci) in communes {
            guard let key = CommuneKey.of(code) else { continue }
            communeByKey[key] = Int32(epci)
            codeByKey[key] = code
        }
        self.communeByKey = communeByKey
        self.codeByKey = codeByKey
        self.hasPlan = hasPlan
        self.plans = plans
        self.segments = segments.map { Array($0.utf8) }
        segmentCodes = segments
    }

    /// What one slice of rows gave.
    struct Slice {
        /// Kept records, by EPCI index, in file order.
        var records: [[ProductionRecord]]
        /// Rows whose commune is not in the territory, and the line of the first, counted from the slice's start.
        var unknown = 0
        var firstUnknownLine: Int?
        /// Line ends in the slice.
        var lines = 0
    }

    /// Every kept record by EPCI, the number of rows of unknown communes and the line of the first,
    /// or nil when a row is not of the clean shape (the general reader then takes the whole file).
    func read(parts: Int = ProcessInfo.processInfo.activeProcessorCount) -> (records: [[ProductionRecord]], unknown: Int, firstUnknownLine: Int?)? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes[start...].starts(with: Self.header) else { return nil }
        start += Self.header.count
        if start < bytes.count && bytes[start] == 0x0D { start += 1 }
        guard start == bytes.count || bytes[start] == 0x0A else { return nil }
        start = min(start + 1, bytes.count)

        // Slice boundaries just after a line end, so that every slice starts a row.
        var bounds = [start]
        let count = max(1, min(parts, 16))
        for k in 1..<count {
            var cut = max(bounds[bounds.count - 1], start + (bytes.count - start) * k / count)
            while cut < bytes.count && bytes[cut - 1] != 0x0A { cut += 1 }
            bounds.append(cut)
        }
        bounds.append(bytes.count)

        let slices = SliceResults(count: count)
        let ranges = (0..<count).map { bounds[$0]..<bounds[$0 + 1] }
        DispatchQueue.concurrentPerform(iterations: count) { k in
            slices.set(k, walk(ranges[k]))
        }
        var records = [[ProductionRecord]](repeating: [], count: plans.count)
        var unknown = 0
        var firstUnknownLine: Int?
        var line = 2  // the first row's line
        for slice in slices.values {
            guard let slice else { return nil }
            for i in records.indices where !slice.records[i].isEmpty {
                if records[i].isEmpty { records[i] = slice.records[i] } else { records[i] += slice.records[i] }
            }
            if firstUnknownLine == nil, let first = slice.firstUnknownLine { firstUnknownLine = line + first }
            unknown += slice.unknown
            line += slice.lines
        }
        return (records, unknown, firstUnknownLine)
    }

    /// Walks the rows of `range`, which starts a line; nil as soon as a row is not of the clean shape.
    func walk(_ range: Range<Int>) -> Slice? {
        var slice = Slice(records: [[ProductionRecord]](repeating: [], count: plans.count))
        return bytes.withUnsafeBufferPointer { bytes -> Slice? in
            var i = range.lowerBound
            let n = range.upperBound
            while i < n {
                // Blank lines are skipped.
                if bytes[i] == 0x0A { i += 1; slice.lines += 1; continue }
                if bytes[i] == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 2; slice.lines += 1; continue }
                var ends = (0, 0, 0, 0)
                let start = i
                for f in 0..<4 {
                    while i < n, bytes[i] != 0x3B, bytes[i] != 0x0A, bytes[i] != 0x0D {
                        if bytes[i] == 0x22 || bytes[i] == 0x20 || bytes[i] >= 0x80 { return nil }
                        i += 1
                    }
                    switch f {
                    case 0: ends.0 = i
                    case 1: ends.1 = i
                    case 2: ends.2 = i
                    default: ends.3 = i
                    }
                    if f < 3 {
                        guard i < n, bytes[i] == 0x3B else { return nil }
                        i += 1
                    }
                }
                // The line's end: LF, CR LF, or the end of the file.
                if i < n, bytes[i] == 0x0D { i += 1 }
                if i < n {
                    guard bytes[i] == 0x0A else { return nil }
                    i += 1
                }
                let line = slice.lines
                slice.lines += 1
                guard let key = Self.communeKey(bytes, start..<ends.0) else { return nil }
                let epci = Int(communeByKey[key])
                guard epci >= 0 else {
                    if slice.firstUnknownLine == nil { slice.firstUnknownLine = line }
                    slice.unknown += 1
                    continue
                }
                guard hasPlan[epci] else { continue }
                guard let year = Self.number(bytes, (ends.0 + 1)..<ends.1), let count = Self.number(bytes, (ends.2 + 1)..<ends.3),
                      let segment = segmentIndex(bytes, (ends.1 + 1)..<ends.2),
                      count <= Limits.dwellings, let plan = plans[epci], plan.contains(year), let code = codeByKey[key] else { return nil }
                slice.records[epci].append(ProductionRecord(commune: code, year: year, segment: segmentCodes[segment], dwellings: count))
            }
            return slice
        }
    }

    func segmentIndex(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        segments.firstIndex { $0.elementsEqual(bytes[range]) }
    }

    /// One to nine ASCII digits.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var value = 0
        for byte in bytes[range] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// `CommuneKey` from bytes, without making a string.
    static func communeKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard range.count == 5 else { return nil }
        let b0 = bytes[range.lowerBound], b1 = bytes[range.lowerBound + 1]
        var value: Int
        switch (b0, b1) {
        case (0x32, 0x41): value = 200
        case (0x32, 0x42): value = 201
        case (0x30...0x39, 0x30...0x39): value = Int(b0 - 0x30) * 10 + Int(b1 - 0x30)
        default: return nil
        }
        for b in bytes[(range.lowerBound + 2)..<range.upperBound] {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value < CommuneKey.limit ? value : nil
    }
}

/// One result slot per parallel slice; nil for a slice that was not of the clean shape.
private final class SliceResults: @unchecked Sendable {
    private(set) var values: [FastProduction.Slice?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: FastProduction.Slice?) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}
