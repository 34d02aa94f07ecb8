import Foundation
import PLHBase
import PLHModel

/// One production row in 64 bits: the commune's `CommuneKey` (18 bits), the segment's position in the observatory's
/// list (8 bits), the year (16 bits) and the dwellings (20 bits: `Limits.dwellings` is a million). A million rows
/// take 8 MB this way, where records take 48 MB and a reference count per string.
enum PackedRow {
    static let keyShift: UInt64 = 44, segmentShift: UInt64 = 36, yearShift: UInt64 = 20

    static func pack(key: Int, segment: Int, year: Int, dwellings: Int) -> UInt64? {
        guard key >= 0, key < 1 << 18, segment >= 0, segment < 1 << 8, year >= 0, year < 1 << 16,
              dwellings >= 0, dwellings < 1 << 20 else { return nil }
        return UInt64(key) << keyShift | UInt64(segment) << segmentShift | UInt64(year) << yearShift | UInt64(dwellings)
    }

    static func key(_ row: UInt64) -> Int { Int(row >> keyShift) }
    static func segment(_ row: UInt64) -> Int { Int((row >> segmentShift) & 0xFF) }
    static func year(_ row: UInt64) -> Int { Int((row >> yearShift) & 0xFFFF) }
    static func dwellings(_ row: UInt64) -> Int { Int(row & 0xF_FFFF) }

    /// An EPCI's production rows in order, fingerprinted the same way whichever reader read them: a record the
    /// packing cannot hold (none the loader keeps) is added field by field.
    static func fingerprint(_ records: [ProductionRecord], segments: [String]) -> String {
        var hash = Fingerprint()
        for record in records {
            if let key = CommuneKey.of(record.commune), let segment = segments.firstIndex(of: record.segment),
               let row = pack(key: key, segment: segment, year: record.year, dwellings: record.dwellings) {
                hash.add(word: row)
            } else {
                hash.add("?", record.commune, record.segment)
                hash.add(record.year)
                hash.add(record.dwellings)
            }
        }
        return hash.hex
    }

    static func fingerprint(_ rows: ArraySlice<UInt64>) -> String {
        var hash = Fingerprint()
        for row in rows { hash.add(word: row) }
        return hash.hex
    }
}

/// The national production table read straight from its bytes, in its usual clean shape: UTF-8, `;`,
/// the header `code_insee;annee;segment;logements`, no quotes, no spaces, whole numbers, known segments,
/// counts within `Limits.dwellings`. Anything else (and every error message) is left to the general CSV path,
/// which gives the same records: this path is only quicker, and a test compares the two.
///
/// The walk needs neither the territory nor the plans, so it runs while they are read; the rows are cut into one
/// slice per core at line boundaries and walked in parallel into packed rows (`PackedRow`), which
/// `PackedProduction.distribute` then gives to their EPCIs.
struct FastProduction: Sendable {
    static let header = Array("code_insee;annee;segment;logements".utf8)

    /// The file, mapped: its bytes are walked where the system keeps them, never copied.
    let file: FileBytes
    let segments: [[UInt8]]
    var bytes: UnsafeBufferPointer<UInt8> { file.buffer }

    init(file: FileBytes, segments: [String]) {
        self.file = file
        self.segments = segments.map { Array($0.utf8) }
    }

    init(bytes: [UInt8], segments: [String]) {
        self.init(file: FileBytes(bytes), segments: segments)
    }

    /// Where the first row starts, or nil when the header is not the clean one.
    var firstRow: Int? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes[start...].starts(with: Self.header) else { return nil }
        start += Self.header.count
        if start < bytes.count && bytes[start] == 0x0D { start += 1 }
        guard start == bytes.count || bytes[start] == 0x0A else { return nil }
        return min(start + 1, bytes.count)
    }

    /// The packed rows of the file, slice by slice (so that they are never copied into one array), and where its
    /// blank lines are, so that a row's line is known once the bytes are gone.
    struct Rows: Sendable {
        /// Each slice's rows; together, in file order.
        var slices: [[UInt64]]
        /// For each blank line, the ordinal of the row that follows it (0 for the first row), in order.
        var blankLines: [Int]

        /// The line of the row numbered `ordinal` (0 for the first row): the header is line 1, and blank lines are
        /// lines, not rows.
        func line(ofRow ordinal: Int) -> Int {
            2 + ordinal + blankLines.prefix { $0 <= ordinal }.count
        }
    }

    /// Every row, packed, in file order; nil when a row is not of the clean shape (the general reader then takes the
    /// whole file).
    func read(parts: Int = ProcessInfo.processInfo.activeProcessorCount) -> Rows? {
        guard segments.count <= 1 << 8, let start = firstRow else { return nil }
        // Slice boundaries just after a line end, so that every slice starts a row.
        var bounds = [start]
        let count = max(1, min(parts, 16))
        for k in 1..<count {
            var cut = max(bounds[bounds.count - 1], start + (bytes.count - start) * k / count)
            while cut < bytes.count && bytes[cut - 1] != 0x0A { cut += 1 }
            bounds.append(cut)
        }
        bounds.append(bytes.count)
        let ranges = (0..<count).map { bounds[$0]..<bounds[$0 + 1] }
        let walked = parallelMap(count) { walk(ranges[$0]) }
        var rows = Rows(slices: [], blankLines: [])
        var before = 0
        for slice in walked {
            guard let slice else { return nil }
            rows.slices.append(slice.rows)
            rows.blankLines += slice.blankLines.map { $0 + before }
            before += slice.rows.count
        }
        return rows
    }

    /// Walks the rows of `range`, which starts a line; nil as soon as a row is not of the clean shape. Each field is
    /// read as it is checked, in one pass: five characters of commune, digits, a segment, digits.
    func walk(_ range: Range<Int>) -> (rows: [UInt64], blankLines: [Int])? {
        var rows: [UInt64] = []
        var blankLines: [Int] = []
        // About 27 bytes a row in the national file.
        rows.reserveCapacity(range.count / 24 + 1)
        let ok = withExtendedLifetime(file) { () -> Bool in
            guard let bytes = self.bytes.baseAddress else { return true }
            var i = range.lowerBound
            let n = range.upperBound
            while i < n {
                // Blank lines are skipped.
                if bytes[i] == 0x0A { i += 1; blankLines.append(rows.count); continue }
                if bytes[i] == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 2; blankLines.append(rows.count); continue }
                guard i + 6 <= n, bytes[i + 5] == 0x3B, let key = Self.communeKey(bytes + i) else { return false }
                i += 6
                guard let year = Self.digits(bytes, &i, n), i < n, bytes[i] == 0x3B else { return false }
                i += 1
                // The segment: one of the declared codes, then `;` (anything else leaves the file to the general path).
                guard let segment = segmentIndex(bytes + i, n - i) else { return false }
                i += segments[segment].count + 1
                guard let count = Self.digits(bytes, &i, n), count <= Limits.dwellings else { return false }
                // The line's end: LF, CR LF, or the end of the file.
                if i < n, bytes[i] == 0x0D { i += 1 }
                if i < n {
                    guard bytes[i] == 0x0A else { return false }
                    i += 1
                }
                guard let row = PackedRow.pack(key: key, segment: segment, year: year, dwellings: count) else { return false }
                rows.append(row)
            }
            return true
        }
        return ok ? (rows, blankLines) : nil
    }

    /// One to nine digits from `i` (moved past them), nil for none or more.
    @inline(__always)
    static func digits(_ bytes: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int? {
        let first = i
        var value = 0
        while i < n {
            let digit = bytes[i] &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ Int(digit)
            i += 1
        }
        return i > first && i - first <= 9 ? value : nil
    }

    /// The declared segment whose code, followed by `;`, starts at `start` (with `available` bytes from there).
    @inline(__always)
    func segmentIndex(_ start: UnsafePointer<UInt8>, _ available: Int) -> Int? {
        guard available > 0 else { return nil }
        let first = start[0]
        for index in segments.indices {
            let count = segments[index].count
            guard count > 0, count < available, segments[index][0] == first, start[count] == 0x3B else { continue }
            if segments[index].withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 }) { return index }
        }
        return nil
    }

    /// `CommuneKey` of the five bytes at `code`, without making a string.
    @inline(__always)
    static func communeKey(_ code: UnsafePointer<UInt8>) -> Int? {
        let b0 = code[0], b1 = code[1]
        var value: Int
        if b0 == 0x32 && b1 == 0x41 { value = 200 }
        else if b0 == 0x32 && b1 == 0x42 { value = 201 }
        else if b0 &- 0x30 < 10 && b1 &- 0x30 < 10 { value = Int(b0 &- 0x30) * 10 + Int(b1 &- 0x30) }
        else { return nil }
        for k in 2..<5 {
            let digit = code[k] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value < CommuneKey.limit ? value : nil
    }
}

/// The production rows of every EPCI of an observatory, packed and grouped by EPCI in file order. An EPCI's
/// records are made when its project is asked for, on the worker that renders it, so that a national batch never
/// holds a million records at once, and an EPCI a re-run does not render never has its records made.
public final class PackedProduction: Sendable {
    /// Rows grouped by EPCI: EPCI `i` has `rows[starts[i]..<starts[i + 1]]`.
    let rows: [UInt64]
    let starts: [Int]
    /// Each known commune's code, by key: records share these strings.
    let codeByKey: [String?]
    let segmentCodes: [String]

    init(rows: [UInt64], starts: [Int], codeByKey: [String?], segmentCodes: [String]) {
        self.rows = rows
        self.starts = starts
        self.codeByKey = codeByKey
        self.segmentCodes = segmentCodes
    }

    func rows(of epci: Int) -> ArraySlice<UInt64> { rows[starts[epci]..<starts[epci + 1]] }

    func records(of epci: Int) -> [ProductionRecord] {
        rows(of: epci).map { row in
            ProductionRecord(commune: codeByKey[PackedRow.key(row)]!, year: PackedRow.year(row),
                             segment: segmentCodes[PackedRow.segment(row)], dwellings: PackedRow.dwellings(row))
        }
    }

    /// The rows given to their EPCIs (file order kept within each), those of EPCIs without a plan dropped; how many
    /// rows name a commune outside the territory, and the ordinal of the first. Nil when a kept row's year is outside
    /// its EPCI's plan: an error, which the general reader words.
    static func distribute(_ all: FastProduction.Rows, communes: [String: Int], hasPlan: [Bool], plans: [ClosedRange<Int>?],
                           segmentCodes: [String]) -> (production: PackedProduction, unknown: Int, firstUnknown: Int?)? {
        let communeByKey = CommuneKey.epciTable(communes)
        var codeByKey = [String?](repeating: nil, count: CommuneKey.limit)
        for code in communes.keys {
            if let key = CommuneKey.of(code) { codeByKey[key] = code }
        }
        // A counting sort: each EPCI's count, then each row in its EPCI's place. The first pass notes each row's
        // EPCI (-1 for a row that is not kept), so that the second only moves rows.
        let epciCount = hasPlan.count
        // Each EPCI's years as `first << 16 | last`: 0 for an EPCI without a plan (its rows are not kept), and
        // a window no year fits for a plan that could not be read.
        var windows = [Int](repeating: 0, count: epciCount)
        for e in 0..<epciCount where hasPlan[e] {
            windows[e] = plans[e].map { $0.lowerBound << 16 | $0.upperBound } ?? 1 << 16
        }
        // Each slice is counted, then moved, on its own core: slice k's rows of an EPCI go after those of the slices
        // before it, so that every EPCI keeps its rows in file order.
        struct Counted: Sendable {
            var counts: [Int]
            var assigned: [Int32]
            var unknown = 0
            var firstUnknown: Int?
            var outsidePlan = false
        }
        let slices = all.slices
        let counted = parallelMap(slices.count) { [communeByKey, windows] k -> Counted in
            let slice = slices[k]
            var c = Counted(counts: [Int](repeating: 0, count: epciCount), assigned: [Int32](repeating: -1, count: slice.count))
            communeByKey.withUnsafeBufferPointer { epciOf in
                windows.withUnsafeBufferPointer { windows in
                    c.counts.withUnsafeMutableBufferPointer { counts in
                        c.assigned.withUnsafeMutableBufferPointer { assigned in
                            for (ordinal, row) in slice.enumerated() {
                                let epci = Int(epciOf[PackedRow.key(row)])
                                guard epci >= 0 else {
                                    if c.firstUnknown == nil { c.firstUnknown = ordinal }
                                    c.unknown += 1
                                    continue
                                }
                                let window = windows[epci]
                                guard window != 0 else { continue }
                                let year = PackedRow.year(row)
                                guard year >= window >> 16 && year <= window & 0xFFFF else {
                                    c.outsidePlan = true
                                    return
                                }
                                counts[epci] += 1
                                assigned[ordinal] = Int32(epci)
                            }
                        }
                    }
                }
            }
            return c
        }
        if counted.contains(where: \.outsidePlan) { return nil }
        var unknown = 0
        var firstUnknown: Int?
        var before = 0
        for (k, c) in counted.enumerated() {
            if firstUnknown == nil, let first = c.firstUnknown { firstUnknown = before + first }
            unknown += c.unknown
            before += slices[k].count
        }
        var starts = [Int](repeating: 0, count: epciCount + 1)
        for e in 0..<epciCount { starts[e + 1] = starts[e] + counted.reduce(0) { $0 + $1.counts[e] } }
        // Where slice k writes its first row of each EPCI.
        var offsets: [[Int]] = []
        var running = Array(starts.dropLast())
        for c in counted {
            offsets.append(running)
            for e in 0..<epciCount { running[e] += c.counts[e] }
        }
        let total = starts[epciCount]
        let rows = [UInt64](unsafeUninitializedCapacity: total) { buffer, initialized in
            nonisolated(unsafe) let destination = buffer
            // Each slice writes its own places: the ranges never overlap, and together they cover every row.
            DispatchQueue.concurrentPerform(iterations: slices.count) { [offsets] k in
                var next = offsets[k]
                let slice = slices[k]
                counted[k].assigned.withUnsafeBufferPointer { assigned in
                    next.withUnsafeMutableBufferPointer { next in
                        for (ordinal, row) in slice.enumerated() {
                            let epci = Int(assigned[ordinal])
                            guard epci >= 0 else { continue }
                            destination[next[epci]] = row
                            next[epci] += 1
                        }
                    }
                }
            }
            initialized = total
        }
        return (PackedProduction(rows: rows, starts: starts, codeByKey: codeByKey, segmentCodes: segmentCodes), unknown, firstUnknown)
    }
}
