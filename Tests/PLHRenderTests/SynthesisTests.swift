import PLHCompute
import PLHModel
import Testing
@testable import PLHRender

/// Issue 13, point 5: the observatory's synthesis compares like with like and reads well.
@Suite struct SynthesisTests {
    /// An EPCI's figures from its segments' production (plan objective 100 per segment, half expected at date).
    func figures(_ segments: [(Segment, Int)]) -> UnitFigures {
        let total = segments.reduce(0) { $0 + $1.1 }
        func f(_ objective: Double, _ production: Int) -> Figures {
            Figures(planObjective: objective, proratedObjective: objective / 2, annualObjective: objective / 6, production: production,
                    rateAgainstPlan: Double(production) / objective, rateAgainstProrated: Double(production) / (objective / 2),
                    annualRhythm: Double(production) / 3, shareOfProduction: total > 0 ? Double(production) / Double(total) : nil,
                    shareOfObjective: 1 / Double(segments.count))
        }
        return UnitFigures(kind: .epci, bySegment: segments.map { SegmentFigures(segment: $0.0, figures: f(100, $0.1)) },
                           total: f(100 * Double(segments.count), total))
    }

    func row(_ siren: String, _ department: String, _ date: CalendarDate, _ segments: [(Segment, Int)]) -> Synthesis.Row {
        Synthesis.Row(siren: siren, name: "EPCI \(siren)", department: department, group: nil, folder: nil, figures: figures(segments),
                      bilan: Bilan(kind: .triennal, date: date, countedYears: [2020, 2021, 2022], stage: .autorises))
    }

    let plai = Segment(code: "plai", label: "PLAI", family: "locatif social")
    let plus = Segment(code: "plus_pls", label: "PLUS-PLS", family: "locatif social")
    let social = Segment(code: "locatif_social", label: "Locatif social")
    let prive = Segment(code: "prive", label: "Locatif privé")
    let privateRental = Segment(code: "locatif_prive", label: "Locatif privé")
    let accession = Segment(code: "accession", label: "Accession")

    @Test func epcisWithDifferentSegmentsAreComparedByFamily() throws {
        let a = row("200000001", "62", CalendarDate(year: 2023, month: 6, day: 30)!, [(plai, 30), (plus, 61), (prive, 9)])
        let b = row("200000002", "59", CalendarDate(year: 2024, month: 1, day: 15)!, [(social, 20), (privateRental, 50), (accession, 30)])
        let synthesis = Synthesis(rows: [a, b], groupLabel: nil, failures: 0)
        #expect(synthesis.byFamily)
        #expect(synthesis.segments.map(\.label) == ["Locatif social", "Locatif privé", "Accession"], "one column per family, never twice")
        #expect(synthesis.share(a.figures, in: "locatif_social") == 0.91, "PLAI and PLUS-PLS together: 91 %")
        #expect(synthesis.share(a.figures, in: "accession") == nil, "no accession segment: no share, not 0 %")

        let html = try TemplateSet().render(synthesis.value(), document: SynthesisSchema.rootName)
        #expect(html.contains("bilans de dates diverses"))
        #expect(html.contains("comparée par famille de segments (locatif social, locatif privé et accession)"))
        #expect(html.contains("Pas-de-Calais (62)") && html.contains("Nord (59)"))
        // The Pas-de-Calais total has no accession column: « — », as its EPCI row, never « 0 % ».
        let pasDeCalais = try #require(html.components(separatedBy: "id=\"departement-62\"").last?.components(separatedBy: "</section>").first)
        let total = try #require(pasDeCalais.components(separatedBy: "Total Pas-de-Calais (62)").last?.components(separatedBy: "</tr>").first)
        #expect(total.hasSuffix("<td class=\"nombre\">—</td>"), "\(total)")
        #expect(!total.contains(">0\u{A0}%<"))
    }

    /// The synthesis' chart wears the bilans' colours: a family takes the place its segments hold in most EPCIs' lists.
    @Test func familiesTakeTheColoursTheirSegmentsHaveInTheBilans() throws {
        let date = CalendarDate(year: 2023, month: 6, day: 30)!
        let a = row("200000001", "62", date, [(plai, 30), (plus, 61), (prive, 9)])
        let b = row("200000002", "59", date, [(privateRental, 50), (social, 20), (accession, 30)])
        let c = row("200000003", "59", date, [(privateRental, 40), (social, 40), (accession, 20)])
        let synthesis = Synthesis(rows: [a, b, c], groupLabel: nil, failures: 0)
        #expect(synthesis.segments.map(\.label) == ["Locatif social", "Locatif privé", "Accession"])
        // Locatif social: second in b and c, first and second in a → 1; locatif privé first in b and c → 0.
        #expect(synthesis.paletteSlots == [1, 0, 2])
        let svg = Charts.segmentShares(id: "g", units: [], segments: synthesis.segments, slots: synthesis.paletteSlots).svg
        let legend = svg.components(separatedBy: "Locatif social").first ?? ""
        #expect(legend.contains(Palette.segment(1).fill), "the legend's swatch for the family is PLAI's place in the bilans")
        // Two families preferring one place: the second takes the next free one.
        let d = row("200000004", "62", date, [(accession, 10), (prive, 10)])
        let e = row("200000005", "62", date, [(social, 10), (accession, 10)])
        #expect(Synthesis(rows: [d, e], groupLabel: nil, failures: 0).paletteSlots.count == 3)
        #expect(Set(Synthesis(rows: [d, e], groupLabel: nil, failures: 0).paletteSlots).count == 3)
        // Same segments everywhere: each segment keeps its place, exactly as in each bilan.
        #expect(Synthesis(rows: [row("200000001", "62", date, [(plai, 1), (plus, 1)])], groupLabel: nil, failures: 0).paletteSlots == [0, 1])
    }

    @Test func epcisWithTheSameSegmentsAreComparedBySegment() {
        let date = CalendarDate(year: 2023, month: 6, day: 30)!
        let synthesis = Synthesis(rows: [row("200000001", "62", date, [(plai, 10), (plus, 20)]), row("200000002", "62", date, [(plai, 5), (plus, 5)])],
                                  groupLabel: nil, failures: 0)
        #expect(!synthesis.byFamily)
        #expect(synthesis.segments.map(\.code) == ["plai", "plus_pls"])
    }

    @Test func departmentsHaveTheirNames() {
        #expect(Departments.label("2A") == "Corse-du-Sud (2A)")
        #expect(Departments.label("974") == "La Réunion (974)")
        #expect(Departments.label("99") == "99")
    }
}
