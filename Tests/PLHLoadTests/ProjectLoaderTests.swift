import PLHModel
import PLHTestSupport
import Testing
@testable import PLHLoad

/// Loads a project and returns its diagnostics (errors and warnings), or nil when it loads.
func loadErrors(_ project: TestProject) -> [Diagnostic]? {
    defer { project.remove() }
    do {
        _ = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        return nil
    } catch {
        return error.diagnostics
    }
}

/// The single error a project with `changes` gives, with its location relative to the project folder.
func onlyError(_ changes: [String: String?], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (String, Diagnostic) {
    let project = try TestProject.mini(changing: changes)
    let prefix = project.path + "/"
    let errors = (loadErrors(project) ?? []).filter { $0.severity == .error }
    #expect(errors.count == 1, "expected one error, got: \(errors)", sourceLocation: sourceLocation)
    let d = try #require(errors.first, sourceLocation: sourceLocation)
    let location = d.location.map { String($0.description.dropFirst(prefix.count)) } ?? ""
    return (location, d)
}

@Suite struct ProjectLoaderTests {
    @Test func loadsTheMiniProject() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        let p = loaded.project
        #expect(p.epci.siren == "200000172")
        #expect(p.plan.years == 2020...2025)
        #expect(p.bilan.countedYears == [2020, 2021, 2022])
        #expect(p.bilan.stage == .commences)
        #expect(p.communes.map(\.code) == ["2A004", "01001", "97101"])
        #expect(p.objectives.count == 5)
        #expect(p.objectives.contains(Objective(scope: .commune("97101"), segment: "accession", dwellings: 6, period: .annual)))
        #expect(p.production.count == 8)
        #expect(p.orientations.first?.globalNarrative?.markdown == "La production *progresse*.\n")
        #expect(loaded.inputFiles == ["communes.csv", "global.md", "objectifs.csv", "plh.yaml", "production.csv"])
    }

    @Test func loadsTheCALLExample() throws {
        let loaded = try ProjectLoader(folder: ProjectFolder(TestProject.callExample)).load()
        #expect(loaded.project.communes.count == 36)
        #expect(loaded.project.categories.map { loaded.project.communes(in: $0.code).count } == [2, 7, 14, 13])
        #expect(loaded.project.communes.reduce(0) { $0 + $1.population } == 242_386)
        #expect(loaded.project.milestones.count == 4)
        #expect(loaded.project.orientations.count == 3)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func missingPlanFile() throws {
        let (location, d) = try onlyError(["plh.yaml": nil])
        #expect(location == "plh.yaml")
        #expect(d.message.contains("introuvable"))
    }

    @Test func malformedYAMLPointsAtTheLine() throws {
        var yaml = TestProject.miniFiles["plh.yaml"]!
        yaml = yaml.replacingOccurrences(of: "  premiere_annee: 2020", with: "  premiere_annee: 2020\n   derniere: : x")
        let (location, d) = try onlyError(["plh.yaml": yaml])
        #expect(location.hasPrefix("plh.yaml:7:"))
        #expect(d.message.hasPrefix("YAML invalide"))
    }

    @Test func unknownKeySuggestsTheNearest() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  derniere_annee: 2025", with: "  derniere_anne: 2025")
        let project = try TestProject.mini(changing: ["plh.yaml": yaml])
        let errors = try #require(loadErrors(project))
        let unknown = try #require(errors.first { $0.message.contains("derniere_anne") })
        #expect(unknown.location?.line == 7)
        #expect(unknown.location?.column == 3)
        #expect(unknown.hint == "vouliez-vous dire « derniere_annee » ?")
    }

    @Test func nonIntegerCount() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "2A004;2021;social;40", with: "2A004;2021;social;4,5")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:3:19")
        #expect(d.message.contains("« 4,5 »"))
        #expect(d.hint?.contains("sans décimale") == true)
    }

    @Test func negativeCount() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "01001;2021;social;3", with: "01001;2021;social;-3")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:7:19")
        #expect(d.hint?.contains("négatif") == true)
    }

    @Test func wrongNumberOfFields() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "97101;2020;prive;5", with: "97101;2020;prive;5;2")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:9")
        #expect(d.message == "5 champs au lieu de 4")
    }

    @Test func unknownCommuneSuggestsCodes() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "97101;2022", with: "97111;2022")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:8:1")
        #expect(d.message.contains("97111 inconnue"))
        #expect(d.hint?.contains("97101 Les Abymes") == true)
    }

    @Test func lostLeadingZeroIsCompletedWithOneWarning() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "01001;2021", with: "1001;2021")
        let project = try TestProject.mini(changing: ["production.csv": csv])
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        #expect(loaded.project.production.contains(ProductionRecord(commune: "01001", year: 2021, segment: "social", dwellings: 3)))
        let warning = try #require(loaded.warnings.first { $0.message.contains("zéro initial") })
        #expect(warning.location?.line == 7)
        #expect(warning.message.hasPrefix("1 code INSEE à 4 chiffres"))
    }

    @Test func communeInNoCategory() throws {
        let csv = TestProject.miniFiles["communes.csv"]!.replacingOccurrences(of: "800;villages", with: "800;")
        let project = try TestProject.mini(changing: ["communes.csv": csv])
        let errors = try #require(loadErrors(project))
        let d = try #require(errors.first)
        #expect(d.location?.line == 3)
        #expect(d.message.contains("n'est dans aucune catégorie"))
    }

    @Test func communeInTwoCategories() throws {
        let csv = TestProject.miniFiles["communes.csv"]! + "01001;Doublon;10;centre\n"
        let (location, d) = try onlyError(["communes.csv": csv])
        #expect(location == "communes.csv:5:18")
        #expect(d.message == "la commune 01001 est dans deux catégories : « villages » (ligne 3) et « centre »")
    }

    @Test func communeTwiceInTheSameCategory() throws {
        let csv = TestProject.miniFiles["communes.csv"]! + "01001;Doublon;10;villages\n"
        let (location, d) = try onlyError(["communes.csv": csv])
        #expect(location == "communes.csv:5:1")
        #expect(d.message.contains("déjà ligne 3"))
    }

    @Test func duplicateProductionRow() throws {
        let csv = TestProject.miniFiles["production.csv"]! + "2A004;2020;social;1\n"
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:10:1")
        #expect(d.message.contains("déjà ligne 2"))
    }

    @Test func yearOutsideThePlan() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "2A004;2023", with: "2A004;2019")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:6:7")
        #expect(d.message.contains("2019 hors de la période"))
    }

    @Test func undeclaredSegment() throws {
        let csv = TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "2A004;2022;prive", with: "2A004;2022;privé")
        let (location, d) = try onlyError(["production.csv": csv])
        #expect(location == "production.csv:5:12")
        #expect(d.hint == "vouliez-vous dire « prive » ?")
    }

    @Test func missingNarrative() throws {
        let (location, d) = try onlyError(["global.md": nil])
        #expect(location == "plh.yaml:29:19")
        #expect(d.message.contains("global.md"))
    }

    @Test func invalidDate() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "2023-06-30", with: "2023-02-30")
        let (location, d) = try onlyError(["plh.yaml": yaml])
        #expect(location == "plh.yaml:10:9")
        #expect(d.message.contains("n'est pas une date"))
    }

    @Test func pathsCannotLeaveTheProject() throws {
        for path in ["../secret.md", "/etc/passwd"] {
            let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "bilan_global: global.md", with: "bilan_global: \(path)")
            let (_, d) = try onlyError(["plh.yaml": yaml])
            #expect(d.message.contains("refusé"))
        }
    }

    @Test func severalErrorsAreReportedTogether() throws {
        let csv = TestProject.miniFiles["production.csv"]!
            .replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;2020;social;x")
            .replacingOccurrences(of: "97101;2020;prive;5", with: "99999;2020;prive;5")
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "type: triennal", with: "type: trimestriel")
        let project = try TestProject.mini(changing: ["production.csv": csv, "plh.yaml": yaml])
        let errors = try #require(loadErrors(project)).filter { $0.severity == .error }
        #expect(errors.count == 3)
    }

    @Test func datesParseInBothForms() {
        #expect(CalendarDate(parsing: "2019-06-25") == CalendarDate(year: 2019, month: 6, day: 25))
        #expect(CalendarDate(parsing: "25/06/2019") == CalendarDate(year: 2019, month: 6, day: 25))
        #expect(CalendarDate(parsing: "2020-02-29") != nil)
        #expect(CalendarDate(parsing: "2019-02-29") == nil)
        #expect(CalendarDate(parsing: "juin 2019") == nil)
    }
}

@Suite struct WarningTests {
    func warnings(_ changes: [String: String?]) throws -> [Diagnostic] {
        let project = try TestProject.mini(changing: changes)
        defer { project.remove() }
        return try ProjectLoader(folder: ProjectFolder(project.path)).load().warnings
    }

    @Test func theMiniProjectHasNoWarning() throws {
        #expect(try warnings([:]).isEmpty)
    }

    /// Issue 13: « PLH 2 2014-2020 » on the cover and « Période du PLH 2015-2020 » below it.
    @Test func aNameWhoseYearsDisagreeWithThePlansIsWarnedOf() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!
        let w = try warnings(["plh.yaml": yaml.replacingOccurrences(of: "PLH d'essai 2020-2025", with: "PLH d'essai 2018-2024")])
        #expect(w.count == 1)
        #expect(w.first?.message == "le nom du PLH « PLH d'essai 2018-2024 » annonce 2018-2024, mais le plan va de 2020 à 2025")
        let line = try #require(yaml.components(separatedBy: "\n").firstIndex { $0.contains("PLH d'essai") })
        #expect(w.first?.location?.line == line + 1)
        // Named from the year of its adoption, the year before its first: the usual case, no warning.
        #expect(try warnings(["plh.yaml": yaml.replacingOccurrences(of: "PLH d'essai 2020-2025", with: "PLH d'essai 2019-2025")]).isEmpty)
        #expect(try warnings(["plh.yaml": yaml.replacingOccurrences(of: "PLH d'essai 2020-2025", with: "PLH d'essai")]).isEmpty)
    }

    @Test func thePlansTitlePutsItsYearsInParentheses() {
        #expect(Plan(name: "PLH 2 2014-2020", years: 2015...2020).title == "PLH 2 (2014-2020)")
        #expect(Plan(name: "PLH 2014 – 2020", years: 2015...2020).title == "PLH (2014-2020)")
        #expect(Plan(name: "PLH 2", years: 2015...2020).title == "PLH 2")
        #expect(Plan(name: "2014-2020", years: 2015...2020).title == "2014-2020", "no name before the years: kept")
        #expect(Plan(name: "PLH 3 2026-2031", years: 2026...2031).namedYears?.years == 2026...2031)
        #expect(Plan(name: "PLH n°12020", years: 2026...2031).namedYears == nil)
    }

    @Test func communeWithoutProduction() throws {
        let communes = TestProject.miniFiles["communes.csv"]! + "2B033;Bastia;45000;centre\n"
        let w = try warnings(["communes.csv": communes])
        #expect(w.count == 1)
        #expect(w.first?.message == "aucune production comptée de 2020 à 2022 pour Bastia (2B033)")
        #expect(w.first?.location?.line == 5)
    }

    @Test func nameDifferingFromTheOfficialOne() throws {
        let production = TestProject.miniFiles["production.csv"]!
            .replacingOccurrences(of: "code_insee;annee;segment;logements", with: "code_insee;commune;annee;segment;logements")
            .replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;AJACCIO;2020;social;50")
            .replacingOccurrences(of: "2A004;2021;", with: "2A004;Ajaccio;2021;")
            .replacingOccurrences(of: "2A004;2022;accession", with: "2A004;ajaccio;2022;accession")
            .replacingOccurrences(of: "2A004;2022;prive", with: "2A004;Ajaccio;2022;prive")
            .replacingOccurrences(of: "2A004;2023", with: "2A004;Ajaccio;2023")
            .replacingOccurrences(of: "01001;2021", with: "01001;Abergement;2021")
            .replacingOccurrences(of: "97101;2022", with: "97101;Les Abymes;2022")
            .replacingOccurrences(of: "97101;2020", with: "97101;Les Abymes;2020")
        let w = try warnings(["production.csv": production])
        #expect(w.count == 1, "case and accents do not count, another name does: \(w)")
        #expect(w.first?.message == "« Abergement » ne correspond pas au nom officiel de la commune 01001 : « L'Abergement-Clémenciat »")
        #expect(w.first?.location?.line == 7)
    }

    @Test func objectivesNotAddingUpToTheDeclaredTotal() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  derniere_annee: 2025", with: "  derniere_annee: 2025\n  objectif_annuel: 100")
        let w = try warnings(["plh.yaml": yaml])
        #expect(w.count == 1)
        #expect(w.first?.message == "les objectifs de objectifs.csv totalisent 92 logements par an, et non 100 comme annoncé")
        #expect(w.first?.location?.line == 8)
        let right = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  derniere_annee: 2025", with: "  derniere_annee: 2025\n  objectif_annuel: 92")
        #expect(try warnings(["plh.yaml": right]).isEmpty)
    }
}

@Suite struct EncodingTests {
    func load(_ project: TestProject) throws -> LoadedProject {
        defer { project.remove() }
        return try ProjectLoader(folder: ProjectFolder(project.path)).load()
    }

    @Test func declaredWindows1252IsUsedEvenWhenBytesLookLikeUTF8() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]! + "fichiers:\n  encodage: windows-1252\n"
        let project = try TestProject.mini(changing: ["plh.yaml": yaml])
        // "Ã©" is what UTF-8 "é" looks like when read as Windows-1252.
        try project.write("global.md", bytes: [0xC3, 0xA9])
        #expect(try load(project).project.orientations[0].globalNarrative?.markdown == "Ã©")
    }

    @Test func declaredUTF8RefusesOtherBytesWithTheLine() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]! + "fichiers:\n  encodage: utf-8\n"
        let project = try TestProject.mini(changing: ["plh.yaml": yaml])
        let latin1 = Array("code_insee;commune;population;categorie\n2A004;Ajaccio;70000;centre\n01001;L'Abergement-Cl".utf8)
            + [0xE9] + Array("menciat;800;villages\n".utf8)
        try project.write("communes.csv", bytes: latin1)
        let errors = try #require(loadErrors(project))
        #expect(errors.first?.location?.line == 3)
        #expect(errors.first?.message.contains("pas en UTF-8") == true)
    }

    @Test func unknownEncoding() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]! + "fichiers:\n  encodage: ebcdic\n"
        let (location, d) = try onlyError(["plh.yaml": yaml])
        #expect(location == "plh.yaml:31:13")
        #expect(d.hint == "écrivez auto, utf-8 ou windows-1252")
    }
}

@Suite struct SuggestionTests {
    @Test func swappedDigitsAreOneEdit() {
        #expect(editDistance("62489", "62498") == 1)
        #expect(editDistance("abc", "abc") == 0)
        #expect(editDistance("", "abc") == 3)
        #expect(nearest("62489", among: ["62019", "62498", "62186"]) .first == "62498")
    }

    @Test func aMisspeltRequiredKeyIsReportedOnce() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  stade: commences", with: "  stades: commences")
        let (location, d) = try onlyError(["plh.yaml": yaml])
        #expect(location == "plh.yaml:12:3")
        #expect(d.hint == "vouliez-vous dire « stade » ?")
    }
}

/// Regressions found by the fuzzers (fuzz/crashes), one test each.
@Suite struct FuzzRegressionTests {
    /// `annees: 2-2020202` built two million years, then an error for each: a 14-second timeout.
    @Test func hugeYearRangeIsRefusedAtOnce() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "annees: 2020-2022", with: "annees: 2-2020202")
        let (location, d) = try onlyError(["plh.yaml": yaml])
        #expect(location == "plh.yaml:11:11")
        #expect(d.message == "bilan.annees : « 2-2020202 » n'est pas une période")
    }
}
