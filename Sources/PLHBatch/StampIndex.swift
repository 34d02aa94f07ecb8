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
        for line in bytes.split(separator: 0x0A) {
            let parts = line.split(separator: 0x20, maxSplits: 2)
            guard parts.count >= 2 else { continue }
            lines[String(decoding: parts[1], as: UTF8.self)] = Line(stamp: String(decoding: parts[0], as: UTF8.self),
                                                                    figures: parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : nil)
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
    static func decode(_ text: String, segments: [Segment]) -> UnitFigures? {
        var text = text
        let read = text.withUTF8 { bytes -> [Figures]? in
            let parts = bytes.split(separator: 0x2F, omittingEmptySubsequences: false)
            guard parts.count == segments.count + 1 else { return nil }
            var figures: [Figures] = []
            for part in parts {
                guard let f = decodeFigures(part) else { return nil }
                figures.append(f)
            }
            return figures
        }
        guard let figures = read else { return nil }
        return UnitFigures(kind: .epci, bySegment: zip(segments, figures).map { SegmentFigures(segment: $0, figures: $1) },
                           total: figures[figures.count - 1])
    }

    static func decodeFigures(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Figures? {
        let fields = text.split(separator: 0x2C, omittingEmptySubsequences: false)
        guard fields.count == 10 else { return nil }
        var bad = false
        func optional(_ i: Int) -> Double? {
            guard !fields[i].isEmpty else { return nil }
            guard let bits = number(fields[i], radix: 16) else { bad = true; return nil }
            return Double(bitPattern: bits)
        }
        func int(_ i: Int) -> Int {
            guard let value = number(fields[i], radix: 10), value <= UInt64(Int.max) else { bad = true; return 0 }
            return Int(value)
        }
        let rhythm = optional(7)
        var f = Figures(planObjective: optional(0), proratedObjective: optional(1), annualObjective: optional(2), production: int(3),
                        rateAgainstPlan: optional(5), rateAgainstProrated: optional(6), annualRhythm: rhythm ?? 0,
                        shareOfProduction: optional(8), shareOfObjective: optional(9))
        f.productionWithoutObjective = int(4)
        return bad || rhythm == nil ? nil : f
    }

    /// One to twenty digits (lower-case hexadecimal for radix 16) that fit in 64 bits, nil for anything else.
    static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>, radix: UInt64) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case 0x30...0x39: digit = UInt64(byte - 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt64(byte - 0x61 + 10)
            default: return nil
            }
            let (times, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = times.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }
}
