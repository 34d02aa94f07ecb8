import Foundation
import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

@Suite struct ChartTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let project: Project
    let achievement: Achievement

    init() throws {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        achievement = Achievement(project: project)
    }

    var charts: [Chart] {
        let model = ViewModel(project: project, achievement: achievement)
        let (global, sectors) = model.charts()
        return global + sectors
    }

    @Test func chartsMatchTheirGoldenSVG() {
        #expect(charts.map(\.id) == ["graphique-epci", "graphique-annees", "graphique-categories", "graphique-parts"])
        for chart in charts {
            if let diff = goldenMismatch(Array((chart.svg + "\n").utf8), golden: Self.golden.appendingPathComponent("\(chart.id).svg")) {
                Issue.record(Comment(rawValue: diff))
            }
        }
    }

    @Test func chartsAreAccessibleImages() throws {
        for chart in charts {
            #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(chart.svg.contains("role=\"img\" aria-labelledby=\"\(chart.id)-titre \(chart.id)-desc\""))
            #expect(chart.svg.contains("<title id=\"\(chart.id)-titre\">"))
            #expect(chart.svg.contains("<desc id=\"\(chart.id)-desc\">"))
            #expect(!chart.svg.contains("<script") && !chart.svg.contains("href"))
            #expect(!chart.rows.isEmpty && chart.rows.allSatisfy { $0.values.count == chart.headers.count })
        }
    }

    @Test func figuresAreFrenchAndTheSameAsTheTable() throws {
        let perYear = try #require(charts.first { $0.id == "graphique-annees" })
        // 2020: 50 social + 5 private; 2021: 43 social; 2022: 39 accession + 10 private.
        #expect(perYear.rows.map(\.label) == ["2020", "2021", "2022"])
        #expect(perYear.rows.map { $0.values.last! } == ["55", "43", "49"])
        #expect(perYear.svg.contains(">55</text>") && perYear.svg.contains(">49</text>"))
        #expect(perYear.description.hasPrefix("2020 : 55 logements (Locatif social 50, Accession 0, Locatif privé 5)"))
        let categories = try #require(charts.first { $0.id == "graphique-categories" })
        // 120 of the 130 dwellings have an objective (« prive » has none): 25 % of 480.
        #expect(categories.rows.first?.values == ["480", "240", "130", "25\u{A0}%"])
    }

    @Test func unitsWithoutObjectiveSaySo() {
        let svg = Charts.productionAgainstObjectives(id: "g", units: [("Sans", Figures(planObjective: nil, proratedObjective: nil,
            annualObjective: nil, production: 5, rateAgainstPlan: nil, rateAgainstProrated: nil, annualRhythm: 5,
            shareOfProduction: 1, shareOfObjective: nil))], stage: "s", years: "2020").svg
        #expect(svg.contains(">sans objectif</text>"))
    }

    @Test func svgTextIsEscaped() {
        let svg = Charts.productionByYear(id: "g", records: [], years: [2020], segments: [Segment(code: "x", label: "<b>&</b>")], stage: "s").svg
        #expect(svg.contains("&lt;b&gt;&amp;&lt;/b&gt;"))
        #expect(!svg.contains("<b>"))
    }

    @Test func axisSteps() {
        #expect(axisStep(7860) == 2000)
        #expect(axisStep(100) == 20)
        #expect(axisStep(1) == 0.2)
        #expect(axisStep(0) == 1)
    }
}
