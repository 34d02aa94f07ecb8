import Foundation
import PLHCompute
import PLHModel
import Testing
@testable import PLHBatch
@testable import PLHLoad

/// A re-run gives an unchanged EPCI the figures its last run kept in the stamp index: they must be exactly the
/// figures computed again, and a synthesis written from them exactly a first run's.
@Suite struct StampIndexTests {
    func territories(_ copy: ObservatoryCopy) throws -> [(Project, UnitFigures)] {
        let observatory = try ObservatoryLoader(folder: ProjectFolder(copy.input)).load()
        return observatory.entries.compactMap { entry in
            (try? entry.project.get()).map { ($0, Achievement.territory(of: $0)) }
        }
    }

    @Test func figuresReadBackToTheSameValues() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let units = try territories(copy)
        #expect(units.count == 4)
        for (project, figures) in units {
            let text = FiguresText.encode(figures)
            #expect(!text.contains(" ") && !text.contains("\n"), "one word of the index line")
            #expect(FiguresText.decode(text, segments: project.segments) == figures, "\(project.epci.siren)")
        }
        // Values no EPCI of the fixture has: infinities, NaN's absence, negative zero, tiny and huge numbers.
        let odd = Figures(planObjective: 1e-300, proratedObjective: -0.0, annualObjective: .greatestFiniteMagnitude, production: Int.max,
                          rateAgainstPlan: 1.0 / 3.0, rateAgainstProrated: nil, annualRhythm: .infinity, shareOfProduction: 0.1,
                          shareOfObjective: nil)
        let segment = Segment(code: "social", label: "Social")
        let unit = UnitFigures(kind: .epci, bySegment: [SegmentFigures(segment: segment, figures: odd)], total: odd)
        let back = FiguresText.decode(FiguresText.encode(unit), segments: [segment])
        #expect(back == unit)
        #expect(back?.total.proratedObjective?.sign == .minus)
    }

    @Test func numbersReadToTheirLimitsAndNoFurther() {
        func read(_ text: String, _ radix: UInt64) -> UInt64? {
            Array(text.utf8).withUnsafeBufferPointer { FiguresText.number($0[...], radix: radix) }
        }
        #expect(read("ffffffffffffffff", 16) == UInt64.max)
        #expect(read("3fddddddddddddde", 16) == 0x3FDD_DDDD_DDDD_DDDE)
        #expect(read("10000000000000000", 16) == nil, "seventeen hexadecimal digits")
        #expect(read("9999999999999999999", 10) == 9_999_999_999_999_999_999)
        #expect(read("18446744073709551615", 10) == UInt64.max)
        #expect(read("18446744073709551616", 10) == nil)
        #expect(read("FF", 16) == nil && read("1a", 10) == nil && read("", 10) == nil && read("-1", 10) == nil)
        #expect(read("042", 10) == 42 && read("0", 16) == 0)
    }

    @Test func anIndexLineThatDoesNotReadBackGivesNoFigures() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let (project, figures) = try #require(try territories(copy).first)
        let text = FiguresText.encode(figures)
        let segments = project.segments
        #expect(FiguresText.decode(text, segments: Array(segments.dropLast())) == nil, "one segment fewer")
        #expect(FiguresText.decode(text + "/" + text.split(separator: "/").last!, segments: segments) == nil, "one more")
        #expect(FiguresText.decode(text.replacingOccurrences(of: ",", with: ";"), segments: segments) == nil)
        #expect(FiguresText.decode(String(text.dropLast(3)) + "zz", segments: segments) == nil, "not hexadecimal")
        #expect(FiguresText.decode(String(text.prefix(text.count / 2)), segments: segments) == nil, "cut in the middle")
        #expect(FiguresText.decode("", segments: segments) == nil)
        let noRhythm = text.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            var fields = part.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[7] = ""
            return fields.joined(separator: ",")
        }.joined(separator: "/")
        #expect(FiguresText.decode(noRhythm, segments: segments) == nil, "the annual rhythm is never absent")
    }

    @Test func indexLinesReadBackWithAndWithoutFigures() {
        let index = StampIndex(lines: ["200000001-ca-du-pays-ajaccien": .init(stamp: String(repeating: "a", count: 64), figures: "1,2/3"),
                                       "200000002-ca-cap-excellence": .init(stamp: String(repeating: "b", count: 64), figures: nil)])
        #expect(StampIndex(bytes: Array(index.text.utf8)).lines == index.lines)
        #expect(StampIndex(bytes: Array("\nseul\n\(String(repeating: "c", count: 64)) dossier\n".utf8)).lines
                == ["dossier": .init(stamp: String(repeating: "c", count: 64), figures: nil)], "an older index, and a line of one word")
    }

    /// The synthesis of a re-run, where unchanged EPCIs take their figures from the index, is the synthesis of a
    /// forced run byte for byte; and so it stays when the index's figures are damaged (they are computed again).
    @Test func aReRunsSynthesisIsAForcedRunsByteForByte() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        _ = try copy.run()
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;2020;social;51") }
        let rerun = try copy.run()
        #expect(rerun.rendered == 1 && rerun.unchanged == 3)
        let forcedOutput = copy.root.appendingPathComponent("force").path
        _ = try copy.run { $0.output = forcedOutput; $0.force = true }
        let synthesis = copy.snapshot(copy.output + "/" + BatchRunner.synthesisFolder)
        #expect(synthesis.count == 2)
        #expect(synthesis == copy.snapshot(forcedOutput + "/" + BatchRunner.synthesisFolder))

        // Damaged figures: every unchanged EPCI's figures are computed again, and written back whole.
        let indexURL = URL(fileURLWithPath: copy.output + "/" + BatchRunner.stampIndexFile)
        let lines = String(decoding: try Data(contentsOf: indexURL), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4 && lines.allSatisfy { $0.split(separator: " ").count == 3 }, "each line has its figures")
        let damaged = lines.map { line -> String in
            let parts = line.split(separator: " ")
            return "\(parts[0]) \(parts[1]) \(parts[2].replacingOccurrences(of: "/", with: "/x"))"
        }
        try Data((damaged.joined(separator: "\n") + "\n").utf8).write(to: indexURL)
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "2A004;2020;social;51", with: "2A004;2020;social;52") }
        let damagedRun = try copy.run()
        #expect(damagedRun.rendered == 1 && damagedRun.unchanged == 3)
        _ = try copy.run { $0.output = forcedOutput; $0.force = true }
        #expect(copy.snapshot(copy.output + "/" + BatchRunner.synthesisFolder)
                == copy.snapshot(forcedOutput + "/" + BatchRunner.synthesisFolder))
        #expect(try Data(contentsOf: indexURL) == Data(contentsOf: URL(fileURLWithPath: forcedOutput + "/" + BatchRunner.stampIndexFile)),
                "the damaged figures are replaced by the computed ones")
    }

    /// The index's figures are what an unchanged EPCI's synthesis line shows: nothing reads its rows again.
    @Test func anUnchangedEPCIsFiguresComeFromTheIndex() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        _ = try copy.run()
        let indexURL = URL(fileURLWithPath: copy.output + "/" + BatchRunner.stampIndexFile)
        var index = StampIndex(bytes: [UInt8](try Data(contentsOf: indexURL)))
        let folder = "200000003-cc-des-deux-rives"
        let project = try #require(try ObservatoryLoader(folder: ProjectFolder(copy.input)).load().entries
            .first { $0.siren == "200000003" }?.project.get())
        var figures = Achievement.territory(of: project)
        figures.total.production = 987_654
        index.lines[folder]?.figures = FiguresText.encode(figures)
        try Data(index.text.utf8).write(to: indexURL)
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;2020;social;51") }
        let rerun = try copy.run()
        #expect(rerun.results.first { $0.siren == "200000003" }?.status == .unchanged)
        #expect(rerun.results.first { $0.siren == "200000003" }?.figures?.total.production == 987_654)
        let csv = String(decoding: try Data(contentsOf: URL(fileURLWithPath: copy.output + "/synthese/synthese-epci.csv")), as: UTF8.self)
        #expect(csv.contains(";987654;"))
    }
}
