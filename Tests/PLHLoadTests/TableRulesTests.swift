import Foundation
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHLoad

/// A small observatory in a temporary folder: two EPCIs of the DGCL format, a plan each.
struct TinyObservatory {
    static let files: [String: String] = [
        "observatoire.yaml": """
        territoire: territoire.csv
        bilan:
          type: triennal
          date: 2023-06-30
          annees: 2020-2022
          stade: autorises
        segments:
          - code: social
            libelle: Locatif social
          - code: accession
            libelle: Accession
        categories:
          regle: population
          tranches:
            - code: pole
              libelle: Pôles
              population_min: 10000
            - code: bourg
              libelle: Bourgs
              population_min: 0

        """,
        "territoire.csv": """
        dept,siren,raison_sociale,insee,nom_membre,pmun_2025
        2A,200000001,CA du Pays Ajaccien,2A004,Ajaccio,70000
        2A,200000001,CA du Pays Ajaccien,2A006,Alata,3000
        01,200000002,CC de la Dombes,01001,L'Abergement-Clémenciat,800
        01,200000002,CC de la Dombes,01002,L'Abergement-de-Varey,250

        """,
        "plh.csv": """
        siren;nom;premiere_annee;derniere_annee;objectif_annuel
        200000001;PLH 2020-2025;2020;2025;120
        200000002;PLH 2020-2025;2020;2025;

        """,
        "objectifs.csv": """
        siren;categorie;segment;logements;periode
        200000001;pole;social;60;an
        200000001;pole;accession;60;an
        200000002;bourg;social;6;an

        """,
        "production.csv": """
        code_insee;annee;segment;logements
        2A004;2020;social;50
        2A006;2021;accession;3
        01001;2021;social;4

        """,
    ]

    let root: URL

    init(changing changes: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-obs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, text) in Self.files.merging(changes, uniquingKeysWith: { _, new in new }) {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
        }
    }

    func load() throws -> Observatory { try ObservatoryLoader(folder: ProjectFolder(root.path, displayPath: "obs")).load() }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// The messages of one EPCI's errors, or nil when it loaded.
    static func errors(_ observatory: Observatory, _ siren: String) -> [String]? {
        guard let entry = observatory.entries.first(where: { $0.siren == siren }) else { return ["absent"] }
        if case .failure(let error) = entry.project { return error.diagnostics.map(\.message) }
        return nil
    }
}

/// Loads the mini project changed by `changes`: its error messages, or its warnings when it loads.
func loadMessages(_ changes: [String: String?]) throws -> (errors: [Diagnostic], warnings: [Diagnostic]) {
    let project = try TestProject.mini(changing: changes)
    defer { project.remove() }
    do {
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path, displayPath: "p")).load()
        return ([], loaded.warnings)
    } catch {
        return (error.diagnostics.filter { $0.severity == .error }, error.diagnostics.filter { $0.severity == .warning })
    }
}

/// Issue 11, defect 4: numbers too large for the arithmetic used to trap (exit 132); each is now a located error.
@Suite struct NumberLimitTests {
    @Test func anObjectiveOfTwentyDigitsIsALocatedError() throws {
        let (errors, _) = try loadMessages(["objectifs.csv": "categorie;code_insee;segment;logements;periode\ncentre;;social;100000000000000000000;an\n"])
        #expect(errors.count == 1)
        #expect(errors.first?.location?.description == "p/objectifs.csv:2:16")
        #expect(errors.first?.message == "objectif « 100000000000000000000 » hors limite : PLH Bilan lit au plus 10\u{202F}000\u{202F}000")
    }

    @Test func aPopulationOfIntMaxIsALocatedError() throws {
        let communes = "code_insee;commune;population;categorie\n2A004;Ajaccio;9223372036854775807;centre\n01001;L'Abergement-Clémenciat;800;villages\n97101;Les Abymes;50000;villages\n"
        let (errors, _) = try loadMessages(["communes.csv": communes])
        #expect(errors.map(\.location?.description) == ["p/communes.csv:2:15"])
        #expect(errors.first?.message.hasPrefix("population « 9223372036854775807 » hors limite") == true)
    }

    @Test func dwellingsAndYearsBeyondIntAreErrorsNotTraps() throws {
        let production = "code_insee;annee;segment;logements\n2A004;2020;social;99999999999999999999999\n2A004;99999999999999999999;social;1\n"
        let (errors, _) = try loadMessages(["production.csv": production])
        #expect(errors.map(\.location?.description) == ["p/production.csv:2:19", "p/production.csv:3:7"])
        #expect(errors.first?.message.hasPrefix("nombre de logements « 99999999999999999999999 » hors limite") == true)
        #expect(errors.last?.message == "année « 99999999999999999999 » hors limite : PLH Bilan lit au plus 9\u{202F}223\u{202F}372\u{202F}036\u{202F}854\u{202F}775\u{202F}807"
                || errors.last?.message.contains("année") == true)
    }

    @Test func aYAMLNumberBeyondIntIsALocatedError() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  derniere_annee: 2025\n",
                                                                             with: "  derniere_annee: 2025\n  objectif_annuel: 100000000000000000000\n")
        let (errors, _) = try loadMessages(["plh.yaml": yaml])
        #expect(errors.map(\.location?.description) == ["p/plh.yaml:8:20"])
        #expect(errors.first?.message.contains("hors limite") == true)
    }

    @Test func inAnObservatoryOnlyTheEPCIWithTheHugeNumberFails() throws {
        let observatory = try TinyObservatory(changing: [
            "objectifs.csv": "siren;categorie;segment;logements;periode\n200000001;pole;social;100000000000000000000;an\n200000002;bourg;social;6;an\n",
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(TinyObservatory.errors(loaded, "200000001")?.first?.contains("hors limite") == true)
        #expect(TinyObservatory.errors(loaded, "200000002") == nil)
    }
}

/// Issue 11, defect 5: the observatory and the project read the same cells with the same rules.
@Suite struct TableAgreementTests {
    @Test func anAnnualObjectiveInWordsFailsTheEPCIInsteadOfVanishing() throws {
        let observatory = try TinyObservatory(changing: [
            "plh.csv": "siren;nom;premiere_annee;derniere_annee;objectif_annuel\n200000001;PLH;2020;2025;douze\n200000002;PLH;2020;2025;\n",
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(TinyObservatory.errors(loaded, "200000001") == ["objectif annuel « douze » n'est pas un nombre entier positif"])
        #expect(TinyObservatory.errors(loaded, "200000002") == nil)
    }

    @Test func theWordAnneeIsAPeriodInBothReaders() throws {
        let observatory = try TinyObservatory(changing: [
            "objectifs.csv": "siren;categorie;segment;logements;periode\n200000001;pole;social;60;annee\n200000002;bourg;social;6;année\n",
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(TinyObservatory.errors(loaded, "200000001") == nil)
        #expect(TinyObservatory.errors(loaded, "200000002") == nil)
        let (errors, _) = try loadMessages(["objectifs.csv": "categorie;code_insee;segment;logements;periode\ncentre;;social;60;annee\n"])
        #expect(errors.isEmpty)
    }

    @Test func aBadObjectiveGetsTheSameMessageInBothReaders() throws {
        for (cell, column) in [("12,5x", "logements"), ("mois", "periode")] {
            let observatory = try TinyObservatory(changing: [
                "objectifs.csv": "siren;categorie;segment;logements;periode\n200000001;pole;social;\(column == "logements" ? cell : "60");\(column == "periode" ? cell : "an")\n",
            ])
            defer { observatory.remove() }
            let fromObservatory = TinyObservatory.errors(try observatory.load(), "200000001")
            let (errors, _) = try loadMessages(["objectifs.csv": "categorie;code_insee;segment;logements;periode\ncentre;;social;\(column == "logements" ? cell : "60");\(column == "periode" ? cell : "an")\n"])
            #expect(fromObservatory == errors.map(\.message), "\(cell)")
            #expect(!errors.isEmpty)
        }
    }

    @Test func aBadProductionRowGetsTheSameMessageInBothReaders() throws {
        // A quote keeps the observatory off its fast path, so that the general reader is compared.
        let observatory = try TinyObservatory(changing: [
            "production.csv": "code_insee;annee;segment;logements\n\"2A004\";2020;social;-3\n2A004;2031;social;1\n2A004;2021;prive;1\n",
        ])
        defer { observatory.remove() }
        let fromObservatory = TinyObservatory.errors(try observatory.load(), "200000001")
        let communes = "code_insee;commune;population;categorie\n2A004;Ajaccio;70000;centre\n01001;L'Abergement-Clémenciat;800;villages\n97101;Les Abymes;50000;villages\n"
        let (errors, _) = try loadMessages(["communes.csv": communes,
                                            "production.csv": "code_insee;annee;segment;logements\n2A004;2020;social;-3\n2A004;2031;social;1\n2A004;2021;prive;1\n"])
        // The project declares `prive`: only the first two rows differ from the observatory's.
        #expect(fromObservatory?.prefix(2) == errors.map(\.message).prefix(2)[...])
        #expect(fromObservatory?.last == "segment « prive » non déclaré dans observatoire.yaml")
    }

    @Test func nextYearsDGCLFileIsAccepted() throws {
        let observatory = try TinyObservatory(changing: [
            "territoire.csv": TinyObservatory.files["territoire.csv"]!.replacingOccurrences(of: "pmun_2025", with: "pmun_2026"),
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(loaded.entries.count == 2)
        let project = try loaded.entries[0].project.get()
        #expect(project.populationVintage == "2026")
        #expect(project.communes.map(\.population) == [70000, 3000])
    }

    @Test func aFourDigitCodeIsCompletedInEveryTable() throws {
        #expect(CommuneCode.read("1001")! == ("01001", true))
        #expect(CommuneCode.read("2a004")! == ("2A004", false))
        #expect(CommuneCode.read("2C004") == nil)
        #expect(CommuneCode.read("97101")! == ("97101", false))
        #expect(CommuneCode.read("6249") != nil && CommuneCode.read("624988") == nil)
    }
}

/// Issue 11, defect 8: rows of empty cells that a spreadsheet leaves behind are skipped in every table.
@Suite struct SpreadsheetLeftoverTests {
    @Test func separatorOnlyRowsAreSkipped() throws {
        let (errors, _) = try loadMessages([
            "objectifs.csv": TestProject.miniFiles["objectifs.csv"]! + ";;;;\n;;;;\n",
            "communes.csv": TestProject.miniFiles["communes.csv"]! + ";;;\n",
            "production.csv": TestProject.miniFiles["production.csv"]!.replacingOccurrences(of: "2A004;2023;social;99\n", with: "") + ";;;\n ; ; ; \n",
        ])
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func inAnObservatoryToo() throws {
        let observatory = try TinyObservatory(changing: [
            "objectifs.csv": TinyObservatory.files["objectifs.csv"]! + ";;;;\n",
            "plh.csv": TinyObservatory.files["plh.csv"]! + ";;;;\n",
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(TinyObservatory.errors(loaded, "200000001") == nil)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
    }
}

/// Issue 11, defects 9, 10 and 11: grouped warnings, French numbers, implausible plans and dates.
@Suite struct LoaderWarningTests {
    @Test func communesWithoutProductionAreOneWarning() throws {
        let production = "code_insee;annee;segment;logements\n2A004;2020;social;50\n"
        let (_, warnings) = try loadMessages(["production.csv": production])
        let idle = warnings.filter { $0.message.hasPrefix("aucune production comptée") }
        #expect(idle.map(\.message) == ["aucune production comptée de 2020 à 2022 pour 2 communes : L'Abergement-Clémenciat (01001) et Les Abymes (97101)"])
    }

    @Test func theAnnualTotalIsWrittenAsAFrenchNumber() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  derniere_annee: 2025\n",
                                                                             with: "  derniere_annee: 2025\n  objectif_annuel: 1310\n")
        let objectives = "categorie;code_insee;segment;logements;periode\ncentre;;social;833,55;an\n"
        let (_, warnings) = try loadMessages(["plh.yaml": yaml, "objectifs.csv": objectives])
        let total = try #require(warnings.first { $0.message.contains("totalisent") })
        // Before: « 833,5500000000001 logements par an, et non 1310 ».
        #expect(total.message.hasPrefix("les objectifs de objectifs.csv totalisent 833,"))
        #expect(total.message.hasSuffix(" logements par an, et non 1\u{202F}310 comme annoncé"))
        #expect(total.message.count == "les objectifs de objectifs.csv totalisent 833,5 logements par an, et non 1\u{202F}310 comme annoncé".count)
    }

    @Test func yearsThatDoNotFollowEachOtherAreNotARange() {
        #expect(LoadState.yearsPhrase([2015, 2017]) == "en 2015 et 2017")
        #expect(LoadState.yearsPhrase([2015, 2016, 2017]) == "de 2015 à 2017")
        #expect(LoadState.yearsPhrase([2016]) == "en 2016")
    }

    @Test func aBilanDatedBeforeTheYearsItCountsIsRefused() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "date: 2023-06-30", with: "date: 2021-06-30")
        let (errors, _) = try loadMessages(["plh.yaml": yaml])
        #expect(errors.map(\.message) == ["bilan.date : le bilan est daté du 30 juin 2021 mais compte 2022, année postérieure"])
        #expect(errors.first?.location?.description == "p/plh.yaml:10:9")
    }

    @Test func aPlanOfTwentyOneYearsIsWorthAWarning() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "derniere_annee: 2025", with: "derniere_annee: 2040")
        let (errors, warnings) = try loadMessages(["plh.yaml": yaml])
        #expect(errors.isEmpty)
        #expect(warnings.contains { $0.message == "le PLH court de 2020 à 2040, soit 21 ans, alors qu'un PLH dure six ans (CCH L302-1)" })
        let (_, usual) = try loadMessages([:])
        #expect(!usual.contains { $0.message.contains("six ans") })
    }

    @Test func anObservatoryPlanOfTwentyOneYearsIsWorthAWarningToo() throws {
        let observatory = try TinyObservatory(changing: [
            "plh.csv": "siren;nom;premiere_annee;derniere_annee;objectif_annuel\n200000001;PLH;2020;2040;\n200000002;PLH;2020;2025;\n",
        ])
        defer { observatory.remove() }
        let loaded = try observatory.load()
        #expect(loaded.entries[0].warnings.map(\.message) == ["le PLH court de 2020 à 2040, soit 21 ans, alors qu'un PLH dure six ans (CCH L302-1)"])
        #expect(loaded.entries[1].warnings.isEmpty)
    }
}

/// Issue 11, defects 17 and 23: a project behind a link, YAML errors in French and located.
@Suite struct FolderAndYAMLTests {
    @Test func aProjectReachedThroughALinkLoads() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let link = project.root.deletingLastPathComponent().appendingPathComponent("lien")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: project.root)
        let loaded = try ProjectLoader(folder: ProjectFolder(link.path)).load()
        #expect(loaded.project.communes.count == 3)
        // Paths that do not exist yet resolve inside the project too.
        #expect(try ProjectFolder(link.path).resolve("gabarits", referencedAt: nil).lastPathComponent == "gabarits")
        // A missing narrative is « introuvable », not a link leading out.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("global.md"))
        #expect(throws: BilanError.self) { try ProjectLoader(folder: ProjectFolder(link.path)).load() }
        do {
            _ = try ProjectLoader(folder: ProjectFolder(link.path)).load()
        } catch {
            #expect(error.diagnostics.map(\.message) == ["fichier « \(link.path)/global.md » introuvable"])
        }
    }

    @Test func aLinkOutOfTheProjectIsStillRefused() throws {
        let project = try TestProject.mini()
        defer { project.remove() }
        let outside = project.root.deletingLastPathComponent().appendingPathComponent("ailleurs.md")
        try Data("x".utf8).write(to: outside)
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("global.md"))
        try FileManager.default.createSymbolicLink(at: project.root.appendingPathComponent("global.md"), withDestinationURL: outside)
        #expect(throws: BilanError.self) { try ProjectLoader(folder: ProjectFolder(project.path)).load() }
    }

    @Test func aDuplicateKeyIsFrenchAndPointsAtTheSecondLine() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  stade: commences\n", with: "  stade: commences\n  stade: autorises\n")
        let (errors, _) = try loadMessages(["plh.yaml": yaml])
        #expect(errors.map(\.message) == ["clé « stade » en double (déjà ligne 12)"])
        #expect(errors.first?.location?.description == "p/plh.yaml:13:3")
        #expect(errors.first?.hint?.contains("Parser") == false)
    }

    @Test func aControlCharacterIsFrenchAndLocated() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "nom: PLH d'essai", with: "nom: PLH\u{07} d'essai")
        let (errors, _) = try loadMessages(["plh.yaml": yaml])
        #expect(errors.map(\.message) == ["YAML invalide : caractère de contrôle interdit (U+0007)"])
        #expect(errors.first?.location?.line == 5)
    }
}
