import PLHModel
import PLHTestSupport
import Testing
@testable import PLHLoad

/// `sources.csv`, the `source` column of production and the segments' `sitadel:` key.
@Suite struct SourcesTests {
    static let sha = String(repeating: "ab", count: 32)
    static let sources = """
    identifiant;type;fichier;sha256;date_import;stade;lignes_lues;lignes_retenues;hors_epci;hors_periode
    PC_2017.csv;sitadel;PC_2017.csv;\(sha);2026-11-23;commences;40;30;8;2
    agrements.csv;agrements;agrements.csv;\(sha);2026-11-24;agrees;5;5;0;0

    """

    @Test func rowsOfDifferentSourcesAddUpAndTheRecordsAreRead() throws {
        let project = try TestProject.mini(changing: [
            "sources.csv": Self.sources,
            "production.csv": """
            code_insee;annee;segment;logements;source
            2A004;2020;social;50;
            2A004;2020;social;7;PC_2017.csv
            2A004;2020;social;3;agrements.csv
            01001;2021;accession;4;PC_2017.csv

            """,
        ])
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        let social = loaded.project.production.filter { $0.commune == "2A004" && $0.year == 2020 && $0.segment == "social" }
        #expect(social.map(\.dwellings) == [60])
        #expect(loaded.project.sources.map(\.identifier) == ["PC_2017.csv", "agrements.csv"])
        let first = try #require(loaded.project.sources.first)
        #expect(first.kind == .sitadel && first.stage == .commences && first.rowsRead == 40 && first.rowsKept == 30)
        #expect(first.outsideEPCI == 8 && first.outsidePeriod == 2)
        #expect(first.importDate == CalendarDate(year: 2026, month: 11, day: 23))
        #expect(loaded.inputFiles.contains("sources.csv"), "the record goes into submission packages")
        let messages = loaded.warnings.map(\.description)
        // Approvals count another stage than the bilan (commences), and feed the same segment as Sitadel.
        #expect(messages.contains { $0.contains("la source « agrements.csv » compte les logements agréés") })
        #expect(messages.contains { $0.contains("« social » reçoit des lignes de sources de types différents (agrements et sitadel)") })
        #expect(!messages.contains { $0.contains("« PC_2017.csv » compte") }, "same stage as the bilan: no warning")
    }

    @Test func oneSourceCannotGiveTheSameRowTwice() throws {
        let (location, error) = try onlyError([
            "sources.csv": Self.sources,
            "production.csv": "code_insee;annee;segment;logements;source\n2A004;2020;social;7;PC_2017.csv\n2A004;2020;social;2;PC_2017.csv\n",
        ])
        #expect(location == "production.csv:3:1")
        #expect(error.message.contains("figurent déjà ligne 2 pour la même source « PC_2017.csv »"))
    }

    @Test func badRecordsArePointedAt() throws {
        let (location, error) = try onlyError([
            "sources.csv": "identifiant;type;fichier;sha256;date_import;stade;lignes_lues;lignes_retenues\nx.csv;sitadel;x.csv;1234;2026-11-23;autorises;1;1\n",
        ])
        #expect(location == "sources.csv:2:21")
        #expect(error.message == "empreinte « 1234 » invalide")
        let (typeLocation, typeError) = try onlyError([
            "sources.csv": "identifiant;type;fichier;sha256;date_import;stade;lignes_lues;lignes_retenues\nx.csv;sitadl;x.csv;\(Self.sha);2026-11-23;autorises;1;1\n",
        ])
        #expect(typeLocation == "sources.csv:2:7")
        #expect(typeError.hint == "vouliez-vous dire « sitadel » ?")
    }

    @Test func segmentsDeclareTheirSitadelPart() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!
        let project = try TestProject.mini(changing: [
            "plh.yaml": yaml.replacingOccurrences(of: "    libelle: Locatif social\n", with: "    libelle: Locatif social\n    sitadel: locatif_social\n"),
        ])
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        #expect(loaded.project.segments.map(\.sitadel) == [SitadelBucket.locatifSocial, nil, nil])

        let twice = yaml.replacingOccurrences(of: "    libelle: Locatif social\n", with: "    libelle: Locatif social\n    sitadel: libre\n")
            .replacingOccurrences(of: "    libelle: Accession\n", with: "    libelle: Accession\n    sitadel: libre\n")
        let (location, error) = try onlyError(["plh.yaml": twice])
        #expect(location == "plh.yaml:25:14")
        #expect(error.message == "« sitadel: libre » est déjà donné au segment « social »")
        let (_, unknown) = try onlyError(["plh.yaml": yaml.replacingOccurrences(of: "    libelle: Accession\n", with: "    libelle: Accession\n    sitadel: acession_sociale\n")])
        #expect(unknown.hint == "vouliez-vous dire « accession_sociale » ?")
    }

    @Test func anEmptyProductionGivesOneWarning() throws {
        let project = try TestProject.mini(changing: ["production.csv": "code_insee;annee;segment;logements\n", "objectifs.csv": "categorie;code_insee;segment;logements;periode\n"])
        defer { project.remove() }
        let loaded = try ProjectLoader(folder: ProjectFolder(project.path)).load()
        #expect(loaded.project.production.isEmpty && loaded.project.objectives.isEmpty)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.message == "aucune production comptée de 2020 à 2022, dans aucune commune")
    }

    @Test func theWrittenFileReadsBack() throws {
        let record = SourceRecord(identifier: "permis; 2017 \"v2\".csv", kind: .sitadel, file: "permis; 2017 \"v2\".csv", sha256: Self.sha,
                                  importDate: CalendarDate(year: 2026, month: 1, day: 31)!, stage: .acheves, rowsRead: 12_000,
                                  rowsKept: 300, outsideEPCI: 11_000, outsidePeriod: 700)
        let text = SourcesFile.text([record])
        #expect(text.hasPrefix(SourcesFile.columns.joined(separator: ";") + "\n\"permis; 2017 \"\"v2\"\".csv\";sitadel;"))
        let project = try TestProject.mini(changing: ["sources.csv": text])
        defer { project.remove() }
        #expect(try ProjectLoader(folder: ProjectFolder(project.path)).load().project.sources == [record])
    }
}
