import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHCompute

/// A plan of 6 years with 3 counted (50 % expected), one or two categories, segments A and B with
/// plan objectives `objectives`, and the production of the first year.
func scenario(_ categories: [(objectives: [Double], production: [Int])], families: [String?] = [nil, nil]) -> Achievement {
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
    return Achievement(project: project)
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
        // Plan objective 100, 50 expected at date: on track from 90 % of 50, i.e. 45 dwellings.
        #expect(progress(scenario([([50, 50], [25, 20])])) == .onTrack)
        #expect(progress(scenario([([50, 50], [25, 19])])) == .behind)
        #expect(progress(scenario([([50, 50], [50, 49])])) == .onTrack)
        #expect(progress(scenario([([50, 50], [50, 50])])) == .reached)
        #expect(progress(scenario([([50, 50], [25, 20])]), FindingSettings(onTrackThreshold: 0.95)) == .behind)
        #expect(progress(scenario([([0, 0], [25, 20])])) == nil, "no objective, no progress finding")
    }

    @Test func representationBoundaries() {
        // Objectives 50/50; production 55/45 is 5 points off: flagged both ways.
        let flagged = ids(scenario([([50, 50], [55, 45])]))
        #expect(flagged.contains("representation/c0/a"))
        #expect(flagged.contains("representation/c0/b"))
        let kinds = scenario([([50, 50], [55, 45])]).findings(settings: FindingSettings())["c0"]!.compactMap { f -> Bool? in
            if case .representation(let over, _) = f.kind { return over } else { return nil }
        }
        #expect(kinds == [true, false], "over-represented first")
        #expect(!ids(scenario([([50, 50], [54, 46])])).contains { $0.hasPrefix("representation/") })
        #expect(ids(scenario([([50, 50], [54, 46])]), "c0", FindingSettings(representationGap: 0.04)).contains("representation/c0/a"))
    }

    @Test func familiesAreJudgedTogether() {
        let a = scenario([([50, 50], [80, 20])], families: ["locatif", "locatif"])
        #expect(!ids(a).contains("representation/c0/famille-locatif"), "a family of all segments is always 100 %")
        let b = scenario([([50, 50, ], [70, 30])], families: ["locatif social", nil])
        #expect(!ids(b).contains { $0.contains("famille") }, "a family of one segment is the segment itself")
    }

    @Test func absence() {
        let a = scenario([([50, 50], [60, 0])])
        #expect(ids(a).contains("absence/c0/b"))
        #expect(!ids(a).contains("representation/c0/b"), "absent production is said once, by the absence rule")
        #expect(!ids(scenario([([50, 0], [60, 0])])).contains("absence/c0/b"), "no objective, nothing missing")
    }

    @Test func exceededIsStrictlyAbove() {
        #expect(ids(scenario([([50, 50], [51, 0])])).contains("depassement/c0"))
        #expect(!ids(scenario([([50, 50], [50, 0])])).contains("depassement/c0"))
    }

    @Test func rankingAndDisparity() {
        // Category rates 60 % and 40 % of 100: a gap of 20 points.
        let a = scenario([([50, 50], [30, 30]), ([50, 50], [20, 20])])
        let epci = a.findings(settings: FindingSettings())["EPCI"]!
        #expect(epci.map(\.id) .prefix(3) == ["avancement/EPCI", "disparite/EPCI", "classement/EPCI"])
        guard case .ranking(let items) = epci.first(where: { $0.rule == .classement })!.kind else { Issue.record("no ranking"); return }
        #expect(items.map(\.code) == ["c0", "c1"])
        #expect(!ids(scenario([([50, 50], [30, 29]), ([50, 50], [20, 20])]), "EPCI").contains("disparite/EPCI"))
    }

    @Test func rulesCanBeSwitchedOff() {
        let a = scenario([([50, 50], [60, 0])])
        let settings = FindingSettings(disabled: [.absence, .representation])
        #expect(ids(a, "c0", settings) == ["avancement/c0", "depassement/c0"])
    }
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

    func representation(_ unit: String, _ code: String) -> (over: Bool, share: Double)? {
        for f in findings[unit] ?? [] where f.id == "representation/\(unit)/\(code)" {
            if case .representation(let over, let item) = f.kind { return (over, item.value) }
        }
        return nil
    }

    func has(_ id: String) -> Bool { findings.values.joined().contains { $0.id == id } }

    @Test func bilanGlobal() {
        #expect(progress("EPCI")?.0 == .behind, "les objectifs quantitatifs ne sont pas atteints")
        #expect(has("disparite/EPCI"), "forte disparité entre les 4 profils de communes")
        #expect(representation("EPCI", "locatif_social")?.over == true, "sur-représentation du logement social…")
        #expect(representation("EPCI", "plai")?.over != true, "… hors PLAI")
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
