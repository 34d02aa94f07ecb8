import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHCompute

/// A plan of 6 years with 3 counted (50 % expected), one or two categories, segments A and B with
/// plan objectives `objectives`, and the production of the first year.
func scenario(_ categories: [(objectives: [Double], production: [Int])], families: [String?] = [nil, nil]) -> Achievement {
    Achievement(project: scenarioProject(categories, families: families))
}

/// The project of `scenario`.
func scenarioProject(_ categories: [(objectives: [Double], production: [Int])], families: [String?] = [nil, nil]) -> Project {
    let segments = [Segment(code: "a", label: "Segment A", family: families[0]), Segment(code: "b", label: "Segment B", family: families[1])]
    var communes: [Commune] = [], objectives: [Objective] = [], production: [ProductionRecord] = []
    var cats: [Category] = []
    for (i, c) in categories.enumerated() {
        let code = "c\(i)", commune = "0100\(i + 1)"
        cats.append(Category(code: code, label: "Catégorie \(i)"))
        communes.append(Commune(code: commune, name: "Commune \(i)", population: 100, category: code))
        for (s, objective) in zip(segments, c.objectives) {
            objectives.append(Objective(scope: .category(code), segment: s.code, dwellings: objective, period: .plan))
        }
        for (s, n) in zip(segments, c.production) {
            production.append(ProductionRecord(commune: commune, year: 2020, segment: s.code, dwellings: n))
        }
    }
    let project = Project(epci: EPCI(name: "E", siren: "200000172"), plan: Plan(name: "P", years: 2020...2025),
                          bilan: Bilan(kind: .triennal, date: CalendarDate(year: 2023, month: 6, day: 1)!, countedYears: [2020, 2021, 2022], stage: .autorises),
                          categories: cats, communes: communes, segments: segments, objectives: objectives, production: production)
    return project
}

func progress(_ a: Achievement, _ settings: FindingSettings = FindingSettings()) -> Finding.Progress? {
    for f in a.findings(settings: settings)["c0"] ?? [] {
        if case .progress(let p, _, _, _) = f.kind { return p }
    }
    return nil
}

func ids(_ a: Achievement, _ unit: String = "c0", _ settings: FindingSettings = FindingSettings()) -> [String] {
    (a.findings(settings: settings)[unit] ?? []).map(\.id)
}

@Suite struct FindingRuleTests {
    @Test func progressBoundaries() {
        // Plan objective 100, 50 expected at date: on track from 90 % of 50, i.e. 45 dwellings; ahead past 50.
        #expect(progress(scenario([([50, 50], [25, 20])])) == .onTrack)
        #expect(progress(scenario([([50, 50], [25, 19])])) == .behind)
        #expect(progress(scenario([([50, 50], [25, 25])])) == .onTrack, "exactly the objective at date")
        #expect(progress(scenario([([50, 50], [26, 25])])) == .ahead, "beyond the pace is not « en bonne voie »")
        #expect(progress(scenario([([50, 50], [50, 49])])) == .ahead)
        #expect(progress(scenario([([50, 50], [50, 50])])) == .reached)
        #expect(progress(scenario([([50, 50], [25, 20])]), FindingSettings(onTrackThreshold: 0.95)) == .behind)
        #expect(progress(scenario([([0, 0], [25, 20])])) == nil, "no objective, no progress finding")
    }

    @Test func aLargeExcessIsAnImbalanceOfItsOwn() throws {
        // c0: 65 of 50 expected at date (130 %); c1: 30 of 50 (60 %). c0 makes 68 % of the production for 50 % of objectives.
        let a = scenario([([50, 50], [35, 30]), ([50, 50], [15, 15])])
        let excess = try #require(a.findings(settings: FindingSettings())["c0"]?.first { $0.rule == .exces })
        guard case .excess(let rate, let item) = excess.kind else { Issue.record("not an excess"); return }
        #expect(abs(rate - 1.3) < 1e-9)
        #expect(abs(item.value - 65.0 / 95) < 1e-9 && item.reference == 0.5)
        #expect(!ids(a, "c1").contains("exces/c1"))
        #expect(!ids(scenario([([50, 50], [30, 29]), ([50, 50], [15, 15])])).contains("exces/c0"), "118 %: ahead, no excess")
        #expect(ids(scenario([([50, 50], [30, 29]), ([50, 50], [15, 15])]), "c0", FindingSettings(excessThreshold: 1.1)).contains("exces/c0"))
        #expect(!ids(a, "EPCI").contains { $0.hasPrefix("exces/") }, "the EPCI has no rest of the territory")
    }

    @Test func representationIsRelativeWithAFloorInDwellings() {
        // Objectives 50/50; production 63/37 (26 % above, 13 dwellings off): flagged both ways.
        let flagged = ids(scenario([([50, 50], [63, 37])]))
        #expect(flagged.contains("representation/c0/a"))
        #expect(flagged.contains("representation/c0/b"))
        let kinds = scenario([([50, 50], [63, 37])]).findings(settings: FindingSettings())["c0"]!.compactMap { f -> Bool? in
            if case .representation(let over, _) = f.kind { return over } else { return nil }
        }
        #expect(kinds == [true, false], "over-represented first at equal weight")
        #expect(!ids(scenario([([50, 50], [60, 40])])).contains { $0.hasPrefix("representation/") }, "20 % off: within the gap")
        #expect(ids(scenario([([50, 50], [60, 40])]), "c0", FindingSettings(representationGap: 0.2)).contains("representation/c0/a"))
        // 6 of 9 dwellings where 50 % was planned: a third off but 1.5 dwellings, below the floor.
        #expect(!ids(scenario([([50, 50], [6, 3])])).contains { $0.hasPrefix("representation/") })
        #expect(ids(scenario([([50, 50], [6, 3])]), "c0", FindingSettings(representationMinimum: 1)).contains("representation/c0/a"))
    }

    @Test func smallSegmentsAreJudgedFairly() {
        // A segment of 11 % of objectives at 7 % of production: 4 points, a third below. Over 1 000 dwellings.
        let a = scenario([([890, 110], [930, 70])])
        #expect(ids(a).contains("representation/c0/b"), "a third below its share is a finding, whatever the size")
        #expect(!ids(a).contains("representation/c0/a"), "the large segment, 4 % above its share, is not")
    }

    @Test func familiesAreJudgedTogetherAndTheirSegmentsWithin() throws {
        let a = scenario([([50, 50], [80, 20])], families: ["locatif", "locatif"])
        #expect(!ids(a).contains("representation/c0/famille-locatif"), "a family of all segments is always 100 %")
        let b = scenario([([50, 50, ], [70, 30])], families: ["locatif social", nil])
        #expect(!ids(b).contains { $0.contains("famille") }, "a family of one segment is the segment itself")
    }

    @Test func productionWithoutObjectiveIsLeftOutOfTheRates() throws {
        // c1 has no objective: its 400 dwellings count in the production, not in the EPCI's rate.
        let project = withoutObjective()
        let c = Achievement(project: project)
        #expect(c.epci.total.production == 440)
        #expect(c.epci.total.productionWithoutObjective == 400)
        #expect(abs((c.epci.total.rateAgainstPlan ?? 0) - 0.4) < 1e-9, "40 of 100, not 440 of 100")
        #expect(c.epci.figures(for: "a")?.productionWithoutObjective == 200)
        let finding = try #require(c.findings(settings: FindingSettings())["EPCI"]?.first { $0.rule == .sansObjectif })
        guard case .withoutObjective(let dwellings, let items) = finding.kind else { Issue.record("not without objective"); return }
        #expect(dwellings == 400 && items.map(\.value) == [200, 200])
        #expect(progress(c, FindingSettings()) == .behind, "the category with objectives: 40 of 50 expected")
        #expect(Achievement.territory(of: project) == c.epci, "the batch's summary agrees")
    }

    @Test func exceededIsStrictlyAbove() {
        #expect(ids(scenario([([50, 50], [51, 0])])).contains("depassement/c0"))
        #expect(!ids(scenario([([50, 50], [50, 0])])).contains("depassement/c0"))
    }

    @Test func disparityStatesTheRankingWhichIsNotRepeated() {
        // Category rates 60 % and 40 % of 100: a gap of 20 points.
        let a = scenario([([50, 50], [30, 30]), ([50, 50], [20, 20])])
        let epci = a.findings(settings: FindingSettings())["EPCI"]!
        #expect(epci.map(\.id).prefix(2) == ["avancement/EPCI", "disparite/EPCI"])
        #expect(!epci.contains { $0.rule == .classement }, "the ranking is said within the disparity")
        guard case .disparity(let items) = epci.first(where: { $0.rule == .disparite })!.kind else { Issue.record("no disparity"); return }
        #expect(items.map(\.code) == ["c0", "c1"])
        #expect(ids(scenario([([50, 50], [30, 29]), ([50, 50], [20, 20])]), "EPCI").contains("classement/EPCI"), "small gap: the ranking alone")
        #expect(ids(a, "EPCI", FindingSettings(disabled: [.disparite])).contains("classement/EPCI"), "disparity off: the ranking alone")
    }

    @Test func atMostTheMaximumMostImportantFirst() {
        // a: 60 dwellings, 35 past its pace (25); b: none of its 25 at date; a makes 100 % of production for 50 %.
        let a = scenario([([50, 50], [60, 0])])
        #expect(ids(a) == ["avancement/c0", "depassement/c0", "representation/c0/a", "absence/c0/b"], "by weight: 35, 30, 25")
        #expect(ids(a, "c0", FindingSettings(maximum: 2)) == ["avancement/c0", "depassement/c0"])
    }

    @Test func rulesCanBeSwitchedOff() {
        let a = scenario([([50, 50], [60, 0])])
        let settings = FindingSettings(disabled: [.absence, .representation])
        #expect(ids(a, "c0", settings) == ["avancement/c0", "depassement/c0"])
        #expect(ids(a, "c0", FindingSettings(disabled: [.avancement])).first == "depassement/c0")
    }
}

/// Two categories: c0 with objectives of 50 per segment and 20 dwellings in each, c1 without any objective and
/// 200 dwellings in each segment.
func withoutObjective() -> Project {
    var project = scenarioProject([([50, 50], [20, 20]), ([50, 50], [200, 200])])
    project.objectives.removeAll { if case .category("c1") = $0.scope { return true } else { return false } }
    return project
}

/// The CALL example's findings say what the seed's bilan global and bilan sectorisé say.
@Suite struct CALLFindingTests {
    let findings: [String: [Finding]]

    init() throws {
        let project = try ProjectLoader(folder: ProjectFolder(TestProject.callExample)).load().project
        findings = Achievement(project: project).findings(settings: project.findingSettings)
    }

    func progress(_ unit: String) -> (Finding.Progress, Double)? {
        for f in findings[unit] ?? [] { if case .progress(let p, let rate, _, _) = f.kind { return (p, rate) } }
        return nil
    }

    /// A representation finding, or a segment said within its family's.
    func representation(_ unit: String, _ code: String) -> (over: Bool, share: Double)? {
        for f in findings[unit] ?? [] {
            guard case .representation(let over, let item) = f.kind else { continue }
            if item.code == code { return (over, item.value) }
            if let member = item.members.first(where: { $0.code == code }) { return (over, member.value) }
        }
        return nil
    }

    func has(_ id: String) -> Bool { findings.values.joined().contains { $0.id == id } }

    @Test func bilanGlobal() {
        #expect(progress("EPCI")?.0 == .behind, "les objectifs quantitatifs ne sont pas atteints")
        #expect(has("disparite/EPCI"), "forte disparité entre les 4 profils de communes")
        #expect(representation("EPCI", "locatif_social")?.over == true, "sur-représentation du logement social…")
        #expect(representation("EPCI", "plai")?.over == false, "… hors PLAI: PLAI is a third below its share")
        #expect(representation("EPCI", "famille-accession")?.over == false, "sous-représentation de l'accession…")
        #expect(representation("EPCI", "accession_sociale")?.over == false, "… notamment sociale")
    }

    @Test func polesUrbainsMajeurs() throws {
        let (state, rate) = try #require(progress("poles_urbains_majeurs"))
        #expect(state == .behind)
        #expect(abs(rate - 1.0 / 3) < 0.01, "un tiers de l'objectif global")
        let social = try #require(representation("poles_urbains_majeurs", "famille-locatif-social"))
        #expect(social.over && social.share > 0.75, "logement social : plus de 75 % de la production")
        #expect(representation("poles_urbains_majeurs", "famille-accession")?.over == false, "au détriment de l'accession")
    }

    @Test func communesUrbainesDenses() throws {
        let (state, rate) = try #require(progress("communes_urbaines_denses"))
        #expect(state == .behind && abs(rate - 0.4) < 0.005, "production inférieure aux objectifs : 40 %")
        #expect(representation("communes_urbaines_denses", "famille-locatif-social")?.over == true, "prédominance du locatif social")
    }

    @Test func polesUrbainsEquipes() {
        #expect(progress("poles_urbains_equipes")?.0 == .onTrack, "50 %, conforme à un bilan à mi-parcours")
        #expect(has("absence/poles_urbains_equipes/accession_sociale"), "absence de production en accession sociale")
    }

    @Test func communesResidentielles() throws {
        let exceeded = try #require(findings["communes_residentielles"]?.first { $0.rule == .depassement })
        guard case .exceeded(let items) = exceeded.kind else { Issue.record("not an exceeded finding"); return }
        #expect(Set(items.map(\.code)) == ["locatif_social", "locatif_prive"], "objectifs dépassés en logements locatifs")
        #expect(has("absence/communes_residentielles/accession_sociale"), "pas de logements en accession sociale")
    }
}
