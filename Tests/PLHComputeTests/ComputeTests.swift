import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHCompute

/// Figures of the mini project, checked against values computed by hand (see TestProject.miniFiles):
/// 6 plan years, 3 counted (2020-2022), so prorated objectives are half the plan objectives.
@Suite struct ComputeTests {
    let achievement: Achievement

    init() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        achievement = Achievement(project: try ProjectLoader(folder: ProjectFolder(project.path)).load().project)
    }

    func approx(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) < 1e-9
    }

    @Test func proratedShare() {
        #expect(achievement.planYears == 6)
        #expect(achievement.countedYears == [2020, 2021, 2022])
        #expect(approx(achievement.expectedShare, 0.5))
        #expect(achievement.uncountedRecords == 1)
    }

    @Test func categoryWithAnnualAndPlanObjectives() throws {
        let centre = achievement.categories[0]
        let social = try #require(centre.figures(for: "social"))
        // 60 a year → 360 over the plan, 180 at date; 50 + 40 produced (the 99 of 2023 is not counted).
        #expect(social.planObjective == 360)
        #expect(approx(social.proratedObjective, 180))
        #expect(approx(social.annualObjective, 60))
        #expect(social.production == 90)
        #expect(approx(social.rateAgainstPlan, 0.25))
        #expect(approx(social.rateAgainstProrated, 0.5))
        #expect(approx(social.annualRhythm, 30))
        #expect(approx(social.shareOfProduction, 90.0 / 130))
        #expect(approx(social.shareOfObjective, 360.0 / 480))

        let accession = try #require(centre.figures(for: "accession"))
        #expect(accession.planObjective == 120)
        #expect(approx(accession.rateAgainstProrated, 0.5))

        #expect(centre.total.planObjective == 480)
        #expect(centre.total.production == 130)
        // The 10 dwellings of « prive », which has no objective, are production but not part of the rates.
        #expect(centre.total.productionWithoutObjective == 10)
        #expect(approx(centre.total.rateAgainstPlan, 120.0 / 480))
        #expect(approx(centre.total.rateAgainstProrated, 120.0 / 240))
        #expect(approx(centre.total.shareOfProduction, 1))
    }

    @Test func segmentWithoutObjectiveHasNoRate() throws {
        let prive = try #require(achievement.categories[0].figures(for: "prive"))
        #expect(prive.planObjective == nil)
        #expect(prive.proratedObjective == nil)
        #expect(prive.rateAgainstPlan == nil)
        #expect(prive.rateAgainstProrated == nil)
        #expect(prive.hasObjective == false)
        #expect(prive.production == 10)
        #expect(approx(prive.shareOfProduction, 10.0 / 130))
        #expect(prive.shareOfObjective == 0)
    }

    @Test func communeObjectivesAddUpToTheirCategory() throws {
        let villages = achievement.categories[1]
        #expect(villages.figures(for: "social")?.planObjective == 36)
        #expect(villages.figures(for: "accession")?.planObjective == 36)
        #expect(villages.total.planObjective == 72)
        #expect(villages.total.production == 17)

        let abymes = achievement.communes[2]
        #expect(abymes.figures(for: "social")?.production == 0)
        #expect(abymes.figures(for: "social")?.rateAgainstPlan == 0)
        #expect(approx(abymes.figures(for: "accession")?.rateAgainstPlan, 0.25))
        #expect(abymes.total.planObjective == 60)

        let ajaccio = achievement.communes[0]
        #expect(ajaccio.total.planObjective == nil, "category-level objectives are not split among communes")
        #expect(ajaccio.total.rateAgainstPlan == nil)
        #expect(ajaccio.total.production == 130)
    }

    @Test func epciAddsUpCategories() {
        let epci = achievement.epci
        #expect(epci.figures(for: "social")?.planObjective == 396)
        #expect(epci.figures(for: "social")?.production == 93)
        #expect(epci.figures(for: "accession")?.planObjective == 156)
        #expect(epci.figures(for: "prive")?.planObjective == nil)
        #expect(epci.total.planObjective == 552)
        #expect(epci.total.production == 147)
        #expect(epci.total.productionWithoutObjective == 15)
        #expect(approx(epci.total.rateAgainstProrated, 132.0 / 276))
    }

    @Test func countedProductionIsOrderedAndExcludesOtherYears() {
        let rows = achievement.countedProduction
        #expect(rows.count == 7)
        #expect(rows.first == ProductionRecord(commune: "2A004", year: 2020, segment: "social", dwellings: 50))
        #expect(!rows.contains { $0.year == 2023 })
        #expect(rows.map(\.commune) == ["2A004", "2A004", "2A004", "2A004", "01001", "97101", "97101"])
    }

    @Test func zeroObjectiveCountsAsNone() {
        let project = Project(
            epci: EPCI(name: "E", siren: "200000172"),
            plan: Plan(name: "P", years: 2020...2025),
            bilan: Bilan(kind: .annuel, date: CalendarDate(year: 2021, month: 3, day: 1)!, countedYears: [2020], stage: .acheves),
            categories: [Category(code: "c", label: "C")],
            communes: [Commune(code: "01001", name: "A", population: 1, category: "c")],
            segments: [Segment(code: "s", label: "S")],
            objectives: [Objective(scope: .category("c"), segment: "s", dwellings: 0, period: .plan)],
            production: [ProductionRecord(commune: "01001", year: 2020, segment: "s", dwellings: 4)])
        let f = Achievement(project: project).epci.total
        #expect(f.planObjective == 0)
        #expect(f.rateAgainstPlan == nil)
        #expect(f.rateAgainstProrated == nil)
        #expect(f.shareOfObjective == nil)
    }
}

/// The CALL example's figures say what the seed bilan says.
@Suite struct CALLFiguresTests {
    let achievement: Achievement

    init() throws {
        achievement = Achievement(project: try ProjectLoader(folder: ProjectFolder(TestProject.callExample)).load().project)
    }

    func category(_ code: String) throws -> UnitFigures {
        try #require(achievement.categories.first { if case .category(let c) = $0.kind { c.code == code } else { false } })
    }

    func socialShare(_ unit: UnitFigures) -> Double {
        (unit.figures(for: "plai")!.shareOfProduction ?? 0) + (unit.figures(for: "locatif_social")!.shareOfProduction ?? 0)
    }

    @Test func annualObjectiveIs1310() {
        #expect(achievement.epci.total.planObjective == 7860)
        #expect(achievement.expectedShare == 0.5)
    }

    @Test func objectivesNotMetAndUneven() throws {
        let rate = try #require(achievement.epci.total.rateAgainstProrated)
        #expect(rate < 1)
        let rates = try achievement.categories.map { try #require($0.total.rateAgainstPlan) }
        #expect(rates.max()! - rates.min()! > 0.25)
    }

    @Test func polesUrbainsMajeurs() throws {
        let pum = try category("poles_urbains_majeurs")
        #expect(abs(pum.total.rateAgainstPlan! - 1.0 / 3) < 0.01, "un tiers de l'objectif global à mi-parcours")
        #expect(socialShare(pum) > 0.75, "plus de 75 % de locatif social")
        #expect(abs(pum.figures(for: "accession_libre")!.rateAgainstPlan! - 0.05) < 0.005)
        #expect(abs(pum.figures(for: "accession_sociale")!.rateAgainstPlan! - 1.0 / 3) < 0.01)
    }

    @Test func communesUrbainesDenses() throws {
        let cud = try category("communes_urbaines_denses")
        #expect(abs(cud.total.rateAgainstPlan! - 0.40) < 0.005)
        #expect(abs(cud.figures(for: "accession_libre")!.rateAgainstPlan! - 0.25) < 0.005)
        #expect(abs(cud.figures(for: "accession_sociale")!.rateAgainstPlan! - 0.20) < 0.005)
        #expect(socialShare(cud) > 0.5, "prédominance du locatif social")
    }

    @Test func polesUrbainsEquipes() throws {
        let pue = try category("poles_urbains_equipes")
        #expect(abs(pue.total.rateAgainstPlan! - 0.50) < 0.005, "conforme à un bilan à mi-parcours")
        #expect(pue.figures(for: "accession_sociale")!.production == 0)
    }

    @Test func communesResidentielles() throws {
        let cr = try category("communes_residentielles")
        #expect(cr.figures(for: "locatif_social")!.rateAgainstPlan! > 1)
        #expect(cr.figures(for: "locatif_prive")!.rateAgainstPlan! > 1)
        #expect(cr.figures(for: "accession_sociale")!.production == 0)
        let privateShare = cr.figures(for: "accession_libre")!.shareOfProduction! + cr.figures(for: "locatif_prive")!.shareOfProduction!
        #expect(privateShare > 0.5, "prédominance de l'accession et du locatif privé")
    }

    @Test func segmentRepresentationAcrossTheEPCI() throws {
        let epci = achievement.epci
        func gap(_ code: String) -> Double {
            let f = epci.figures(for: code)!
            return f.shareOfProduction! - f.shareOfObjective!
        }
        #expect(gap("locatif_social") > 0.1, "sur-représentation du logement social hors PLAI")
        #expect(gap("plai") < 0, "le PLAI n'est pas sur-représenté")
        #expect(gap("accession_sociale") < -0.05, "sous-représentation de l'accession sociale")
        #expect(gap("accession_libre") < 0)
    }
}

@Suite struct DecimalObjectiveTests {
    @Test func decimalCommaObjectivesAreAccepted() throws {
        let objectives = TestProject.miniFiles["objectifs.csv"]!.replacingOccurrences(of: "centre;;social;60;an", with: "centre;;social;12,5;an")
        let folder = try TestProject.mini(changing: ["objectifs.csv": objectives])
        defer { folder.remove() }
        let achievement = Achievement(project: try ProjectLoader(folder: ProjectFolder(folder.path)).load().project)
        let social = try #require(achievement.categories[0].figures(for: "social"))
        #expect(social.planObjective == 75)
        #expect(social.proratedObjective == 37.5)
        #expect(abs(social.rateAgainstProrated! - 90 / 37.5) < 1e-12)
    }
}

@Suite struct TerritorySummaryTests {
    @Test func theSummaryIsTheEPCIsFigures() throws {
        let mini = try TestProject.mini()
        defer { mini.remove() }
        for path in [mini.path, TestProject.callExample] {
            let project = try ProjectLoader(folder: ProjectFolder(path)).load().project
            #expect(Achievement.territory(of: project) == Achievement(project: project).epci, "\(path)")
        }
    }
}
