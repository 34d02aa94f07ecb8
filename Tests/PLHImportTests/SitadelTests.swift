import Foundation
import PLHLoad
import PLHModel
import Testing
@testable import PLHImport

@Suite struct SitadelTests {
    /// The 2017-2021 fixture, authorisations, into the CALL's PLH 2015-2020: each count worked out by hand.
    @Test func permitsOfTheCALLImportToTheExpectedCounts() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(project, "PC_DAU_2017_2021.csv", stage: .autorises)
        let p = try load(project).project
        let expected: [(String, Int, String, Int)] = [
            ("62498", 2017, "locatif_social", 30), ("62498", 2017, "accession_sociale", 5), ("62498", 2017, "libre", 17),
            ("62498", 2019, "libre", 7), ("62510", 2018, "locatif_social", 25), ("62510", 2018, "accession_sociale", 6),
            ("62510", 2017, "libre", 4), ("62065", 2019, "libre", 2), ("62291", 2017, "locatif_social", 8),
            ("62351", 2018, "libre", 3), ("62413", 2019, "locatif_social", 10), ("62413", 2019, "accession_sociale", 4),
            ("62413", 2019, "libre", 6), ("62895", 2018, "locatif_social", 4), ("62895", 2018, "accession_sociale", 3),
            ("62186", 2019, "libre", 14), ("62570", 2017, "locatif_social", 9), ("62771", 2018, "locatif_social", 12),
            ("62771", 2018, "accession_sociale", 6), ("62861", 2019, "libre", 2), ("62033", 2018, "libre", 1),
        ]
        for (commune, year, segment, n) in expected {
            #expect(dwellings(p, commune, year, segment) == n, "\(commune) \(year) \(segment)")
        }
        #expect(p.production.count == expected.count, "nothing else: no row for the parts exceeding the total, none for 2021")
        #expect(dwellings(p, "62895", 2018, "libre") == 0)
        #expect(dwellings(p, "62498", 2018, "libre") == 0, "the permit without an authorisation date is not counted")
        #expect(report.dwellingsBySegment.map(\.dwellings) == [98, 24, 56])
        #expect(report.added == 21 && report.replaced == 0)

        let source = report.source
        #expect(source.identifier == "PC_DAU_2017_2021.csv" && source.kind == .sitadel && source.stage == .autorises)
        #expect(source.rowsRead == 25 && source.rowsKept == 17 && source.outsideEPCI == 5 && source.outsidePeriod == 1)
        #expect(source.sha256.count == 64)
        #expect(report.summary.contains("Hors de l'EPCI : 5 permis, 145 logements (communes 62041, 2A004, 59350, 62575, 01001), non retenus."))
        #expect(report.summary.contains("Hors de la période du PLH : 1 permis, 50 logements, non retenu."))
        #expect(report.summary.contains("Sans date pour ce stade : 1 permis, non retenu."))
        #expect(report.summary.contains("production.csv : 21 lignes ajoutées, 0 ligne remplacée (import précédent de PC_DAU_2017_2021.csv)."))

        let notes = report.notes.map(\.description)
        let path = fixture("PC_DAU_2017_2021.csv")
        #expect(notes.contains { $0.hasPrefix("\(path):18:7: avertissement : code commune 62999 inconnu du code officiel géographique") })
        #expect(notes.contains { $0.hasPrefix("\(path):11:") && $0.contains("dépassent le total (5)") })
        #expect(notes.contains { $0.hasPrefix("\(path):19:") && $0.contains("1 code INSEE à 4 chiffres complété") })
        // The production file keeps its conventions and says where each row comes from.
        let production = text(project + "/production.csv")
        #expect(production.hasPrefix("code_insee;commune;annee;segment;logements;source\n62033;Annay;2018;libre;1;PC_DAU_2017_2021.csv\n"))
        #expect(production.contains("62291;Éleu-dit-Leauwette;2017;locatif_social;8;PC_DAU_2017_2021.csv\n"), "the official name, in UTF-8")
        let sources = text(project + "/sources.csv").split(separator: "\n")
        #expect(sources.count == 3 && sources[2].hasPrefix("PC_DAU_2017_2021.csv;sitadel;PC_DAU_2017_2021.csv;\(source.sha256);2026-05-28;autorises;25;17;5;1"))
    }

    @Test func twoFilesAddUpAndTheSameFileAgainReplacesItsRows() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A row typed by hand is never touched by imports.
        let production = project + "/production.csv"
        try Data((text(production) + "62498;Lens;2017;libre;100;\n").utf8).write(to: URL(fileURLWithPath: production))

        let older = try sitadel(project, "PC_DAU_2013_2016.csv")   // the bilan's stage: autorises
        #expect(older.added == 5 && older.source.rowsRead == 6 && older.source.rowsKept == 4)
        #expect(older.source.outsideEPCI == 1 && older.source.outsidePeriod == 1)
        let newer = try sitadel(project, "PC_DAU_2017_2021.csv")
        #expect(newer.added == 21 && newer.replaced == 0)
        var p = try load(project).project
        #expect(dwellings(p, "62498", 2015, "locatif_social") == 20)
        #expect(dwellings(p, "62510", 2016, "accession_sociale") == 2 && dwellings(p, "62510", 2016, "libre") == 8)
        #expect(dwellings(p, "62498", 2016, "libre") == 5 && dwellings(p, "62065", 2016, "libre") == 3)
        #expect(dwellings(p, "62498", 2017, "libre") == 117, "100 typed in + 17 imported")
        let total = p.production.reduce(0) { $0 + $1.dwellings }
        #expect(total == 100 + (20 + 10 + 3 + 5) + (98 + 24 + 56))
        #expect(p.sources.map(\.identifier) == ["epcicom2026_dgcl.csv", "PC_DAU_2013_2016.csv", "PC_DAU_2017_2021.csv"])

        let before = text(production)
        let again = try sitadel(project, "PC_DAU_2017_2021.csv")
        #expect(again.added == 21 && again.replaced == 21)
        #expect(again.summary.contains("production.csv : 21 lignes ajoutées, 21 lignes remplacées (import précédent de PC_DAU_2017_2021.csv)."))
        #expect(text(production) == before, "re-importing the same file gives the same file, byte for byte")
        p = try load(project).project
        #expect(p.production.reduce(0) { $0 + $1.dwellings } == total, "not counted twice")
        #expect(p.sources.count == 3, "its record replaced, not added")
    }

    @Test func theChosenStageDatesThePermits() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(project, "PC_DAU_2017_2021.csv", stage: .commences)
        let p = try load(project).project
        #expect(dwellings(p, "62498", 2017, "locatif_social") == 30)
        #expect(dwellings(p, "62498", 2018, "libre") == 10)
        #expect(p.production.count == 4 && report.source.rowsKept == 2)
        #expect(report.summary.contains("Sans date pour ce stade : 17 permis, non retenus."))
        #expect(report.summary.contains("Attention : le bilan compte les logements autorisés, mais ce fichier a été importé au stade des logements commencés (--stage commences)."))
        // check warns that the bilan counts another stage than the import.
        let warnings = try load(project).warnings.map(\.message)
        #expect(warnings.contains("le bilan compte les logements autorisés, mais la source « PC_DAU_2017_2021.csv » compte les logements commencés"))
    }

    @Test func anOldCodeOfAMergedCommuneCountsInItsCommune() throws {
        // Molinghem (62575) merged into Isbergues (62473), a commune of the CA de Béthune-Bruay.
        let (project, scratch) = try initialisedProject(siren: "200072460")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(project, "PC_DAU_2017_2021.csv")
        let p = try load(project).project
        #expect(dwellings(p, "62473", 2018, "libre") == 2)
        let note = try #require(report.notes.first { $0.message.contains("62575") })
        #expect(note.location?.line == 17 && note.location?.column == 7)
        #expect(note.message == "ancien code 62575 (Molinghem), commune fusionnée dans Isbergues : compté à Isbergues (62473)")
    }

    @Test func theDepartmentAndCommuneSplitFormIsJoined() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try sitadel(text: "dep;comm;date_reelle_autorisation;nb_lgt_tot_crees;nb_lgt_pret_loc_social;nb_lgt_acc_soc_hors_ptz\n62;498;2016-04-01;9;2;1\n62;65;2016-05-01;4;0;0\n", into: project, scratch: scratch, name: "sitadel-ancien.csv")
        let p = try load(project).project
        #expect(dwellings(p, "62498", 2016, "locatif_social") == 2 && dwellings(p, "62498", 2016, "libre") == 6)
        #expect(dwellings(p, "62065", 2016, "libre") == 4, "Avion, 065 written 65")
    }

    @Test func aMissingColumnNamesTheColumnTheLineAndTheNearestHeader() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("sitadel.csv")
        try Data("COMM;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREE;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;2017-01-01;3;0;0\n".utf8).write(to: file)
        let before = text(project + "/production.csv")
        var importer = SitadelImporter(projectFolder: project)
        importer.settings = fixedSettings
        #expect {
            try importer.run(file: file.path)
        } throws: { error in
            let d = (error as! BilanError).diagnostics[0]
            return d.location?.description == "\(file.path):1"
                && d.message == "colonne « NB_LGT_TOT_CREES » absente de l'en-tête du fichier Sitadel (ni « NB_LGT_TOT »)"
                && d.hint == "colonne la plus proche dans l'en-tête : « NB_LGT_TOT_CREE »"
        }
        #expect(text(project + "/production.csv") == before, "nothing written")
    }

    @Test func badValuesArePointedAtAndNothingIsWritten() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("sitadel.csv")
        try Data("COMM;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;2017-01-01;3;0;0\n62498;2017-13-01;3;0;0\n62498;2017-01-01;trois;0;0\n".utf8).write(to: file)
        var importer = SitadelImporter(projectFolder: project)
        importer.settings = fixedSettings
        do {
            _ = try importer.run(file: file.path)
            Issue.record("expected an error")
        } catch {
            let messages = error.diagnostics.filter { $0.severity == .error }.map(\.description)
            #expect(messages.count == 2)
            #expect(messages.first?.hasPrefix("\(file.path):3:7: erreur : date « 2017-13-01 » illisible") == true)
            #expect(messages.last?.hasPrefix("\(file.path):4:18: erreur : nombre total de logements « trois »") == true)
        }
        #expect(try load(project).project.production.isEmpty && load(project).project.sources.count == 1)
    }

    @Test func aPartNoSegmentReceivesIsAnErrorInThePlanFile() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = URL(fileURLWithPath: project + "/plh.yaml")
        let yaml = text(plan.path).replacingOccurrences(of: "    sitadel: libre ", with: "    # sitadel: libre ")
        try Data(yaml.utf8).write(to: plan)
        #expect {
            try sitadel(project, "PC_DAU_2017_2021.csv")
        } throws: { error in
            let d = (error as! BilanError).diagnostics[0]
            return d.location?.path == "\(project)/plh.yaml" && d.location?.line != nil
                && d.message == "aucun segment ne reçoit « libre » des permis Sitadel"
        }
    }

    @Test func aWindows1252ProjectStaysInWindows1252() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The officer's spreadsheet saved every file in Windows-1252, and plh.yaml says so.
        for file in ["plh.yaml", "communes.csv", "sources.csv", "recits/bilan-global.md", "recits/perspectives.md"] {
            var content = text(project + "/" + file)
            if file == "plh.yaml" { content = content.replacingOccurrences(of: "# fichiers:  ", with: "fichiers:\n  encodage: windows-1252\n# ") }
            try Data(try #require(CSVDocument.windows1252Bytes(content))).write(to: URL(fileURLWithPath: project + "/" + file))
        }
        _ = try sitadel(project, "PC_DAU_2017_2021.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: project + "/production.csv"))
        #expect(bytes.contains(0xC9), "Éleu-dit-Leauwette written as Windows-1252")
        let p = try load(project).project
        #expect(dwellings(p, "62291", 2017, "locatif_social") == 8)
        #expect(p.sources.count == 2)
    }

    @Test func cancelledPermitsAreCountedApart() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(text: "\"COMM\";\"ETAT_DAU\";\"DATE_REELLE_AUTORISATION\";\"NB_LGT_TOT_CREES\";\"NB_LGT_PRET_LOC_SOCIAL\";\"NB_LGT_ACC_SOC_HORS_PTZ\"\n\"62498\";\"4\";\"2016-01-01\";\"30\";\"30\";\"0\"\n\"62498\";\"2\";\"2016-01-01\";\"5\";\"0\";\"0\"\n", into: project, scratch: scratch, name: "sitadel.csv")
        let p = try load(project).project
        #expect(dwellings(p, "62498", 2016, "locatif_social") == 0 && dwellings(p, "62498", 2016, "libre") == 5)
        #expect(report.summary.contains("Permis annulés (ETAT_DAU 4) : 1 permis, 30 logements, non retenu."))
        #expect(report.source.rowsRead == 2 && report.source.rowsKept == 1)
    }

    @Test func arrondissementsCountInTheirCommune() throws {
        // The Métropole de Lyon: Sitadel may give Lyon's permits by arrondissement (69381…), the DGCL lists 69123.
        let (project, scratch) = try initialisedProject(siren: "200046977")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(text: "COMM;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n69381;2016-01-01;10;4;0\n69387;2016-02-01;5;0;0\n", into: project, scratch: scratch, name: "lyon.csv")
        let p = try load(project).project
        #expect(dwellings(p, "69123", 2016, "locatif_social") == 4 && dwellings(p, "69123", 2016, "libre") == 11)
        #expect(report.notes.isEmpty, "no line-by-line note for arrondissements")
        #expect(report.summary.contains("Arrondissements municipaux : 2 permis comptés dans leur commune."))
    }
}

/// Issue 11, defect 4: a permit count of Int.max used to overflow the sums (a trap); it is a located error.
@Suite struct SitadelNumberLimitTests {
    @Test func aHugePermitCountIsALocatedErrorAndNothingIsWritten() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let before = text(project + "/production.csv")
        do {
            _ = try sitadel(text: "COMM;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;2016-01-01;9223372036854775807;0;0\n62498;2016-02-01;9223372036854775807;0;0\n",
                           into: project, scratch: scratch, name: "enorme.csv")
            Issue.record("a count of Int.max was accepted")
        } catch let error as BilanError {
            #expect(error.diagnostics.first?.location?.line == 2 && error.diagnostics.first?.location?.column == 18)
            #expect(error.diagnostics.first?.message.hasSuffix("n'est pas un nombre entier positif d'au plus 1\u{202F}000\u{202F}000") == true)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(text(project + "/production.csv") == before)
    }
}
