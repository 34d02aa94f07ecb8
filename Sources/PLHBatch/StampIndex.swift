import Foundation
import PLHCompute
import PLHModel

/// The batch's index of rendered folders (`.empreintes`), one line each: `STAMP FOLDER FIGURES`. The stamp says
/// what the folder was rendered from; the figures are the EPCI's, kept so that a re-run can give an unchanged EPCI
/// its line in the synthesis without reading its rows again. A line without figures (an older index, or figures
/// that do not read back) costs only their computation.
struct StampIndex {
    struct Line: Equatable {
        var stamp: String
        /// The EPCI's figures as `FiguresText` wrote them.
        var figures: String?
    }

    var lines: [String: Line] = [:]

    init(lines: [String: Line] = [:]) {
        self.lines = lines
    }

    /// Read as bytes: a national index has 1 255 lines of a kilobyte, which `String.split` would walk grapheme by grapheme.
    init(bytes: [UInt8]) {
        lines.reserveCapacity(bytes.count / 600)
        bytes.withUnsafeBufferPointer { all in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: all[range]), as: UTF8.self) }
            var start = 0
            while start < all.count {
                let end = all[start...].firstIndex(of: 0x0A) ?? all.count
                defer { start = end + 1 }
                // The first space ends the stamp, the next one the folder; the figures are the rest. A line with an
                // empty stamp or folder is skipped.
                guard let first = all[start..<end].firstIndex(of: 0x20), first > start else { continue }
                let folderEnd = all[(first + 1)..<end].firstIndex(of: 0x20) ?? end
                guard folderEnd > first + 1 else { continue }
                lines[text((first + 1)..<folderEnd)] = Line(stamp: text(start..<first),
                                                            figures: folderEnd + 1 < end ? text((folderEnd + 1)..<end) : nil)
            }
        }
    }

    var text: String {
        lines.sorted { $0.key < $1.key }.map { folder, line in
            "\(line.stamp) \(folder)" + (line.figures.map { " \($0)" } ?? "") + "\n"
        }.joined()
    }
}

/// An EPCI's figures as one word of text: each segment's figures, then all segments', `/` between them and `,`
/// between fields; an absent value is empty. A double is written as the hexadecimal digits of its bits, so that it
/// reads back to the same value and a re-run's synthesis is byte-identical to a first run's (and quickly: no
/// decimal conversion either way).
enum FiguresText {
    static func encode(_ unit: UnitFigures) -> String {
        (unit.bySegment.map(\.figures) + [unit.total]).map(encode).joined(separator: "/")
    }

    static func encode(_ f: Figures) -> String {
        func d(_ value: Double?) -> String { value.map { String($0.bitPattern, radix: 16) } ?? "" }
        return [d(f.planObjective), d(f.proratedObjective), d(f.annualObjective), String(f.production), String(f.productionWithoutObjective),
                d(f.rateAgainstPlan), d(f.rateAgainstProrated), d(f.annualRhythm), d(f.shareOfProduction), d(f.shareOfObjective)]
            .joined(separator: ",")
    }

    /// The EPCI's figures for these segments, or nil when the text is not what `encode` writes for as many segments.
    /// One pass over the bytes, each field read where it ends (a re-run reads a national index's 1 254 lines of
    /// figures).
    static func decode(_ text: String, segments: [Segment]) -> UnitFigures? {
        var text = text
        let read = text.withUTF8 { bytes -> [Figures]? in
            var figures: [Figures] = []
            figures.reserveCapacity(segments.count + 1)
            var values = [UInt64?](repeating: nil, count: 10)
            var field = 0, start = 0
            for i in 0...bytes.count {
                let byte: UInt8 = i < bytes.count ? bytes[i] : 0x2F
                guard byte == 0x2C || byte == 0x2F else { continue }
                guard field < 10 else { return nil }
                let digits = bytes[start..<i]
                if digits.isEmpty {
                    values[field] = nil
                } else {
                    // Production counts (fields 3 and 4) are decimal, the doubles' bits hexadecimal.
                    guard let value = number(digits, radix: field == 3 || field == 4 ? 10 : 16) else { return nil }
                    values[field] = value
                }
                field += 1
                start = i + 1
                if byte == 0x2F {
                    guard field == 10, let f = Self.figures(values) else { return nil }
                    figures.append(f)
                    field = 0
                }
            }
            return figures.count == segments.count + 1 ? figures : nil
        }
        guard let figures = read else { return nil }
        return UnitFigures(kind: .epci, bySegment: zip(segments, figures).map { SegmentFigures(segment: $0, figures: $1) },
                           total: figures[figures.count - 1])
    }

    /// The ten fields of one `Figures`: nil when a count is absent or too large, or the annual rhythm is absent.
    private static func figures(_ values: [UInt64?]) -> Figures? {
        func double(_ i: Int) -> Double? { values[i].map { Double(bitPattern: $0) } }
        guard let production = values[3], production <= UInt64(Int.max),
              let withoutObjective = values[4], withoutObjective <= UInt64(Int.max),
              let rhythm = double(7) else { return nil }
        var f = Figures(planObjective: double(0), proratedObjective: double(1), annualObjective: double(2), production: Int(production),
                        rateAgainstPlan: double(5), rateAgainstProrated: double(6), annualRhythm: rhythm,
                        shareOfProduction: double(8), shareOfObjective: double(9))
        f.productionWithoutObjective = Int(withoutObjective)
        return f
    }

    /// One to twenty digits (lower-case hexadecimal for radix 16) that fit in 64 bits, nil for anything else.
    static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>, radix: UInt64) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        // Sixteen hexadecimal or nineteen decimal digits always fit (a double's bits are 16): only longer ones are
        // checked for overflow.
        let fits = digits.count <= (radix == 16 ? 16 : 19)
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case 0x30...0x39: digit = UInt64(byte &- 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt64(byte &- 0x61 &+ 10)
            default: return nil
            }
            if fits {
                value = value &* radix &+ digit
                continue
            }
            let (times, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = times.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }
}
