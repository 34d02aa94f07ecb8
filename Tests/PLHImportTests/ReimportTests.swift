import Foundation
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

/// Files imported again: a copy under another name, overlapping period files, another stage, an emptied file.
@Suite struct ReimportTests {
    /// production.csv, sources.csv and permis.csv as they are on disk (empty text when absent).
    func snapshot(_ project: String) -> [String] {
        ["production.csv", "sources.csv", "permis.csv"].map { text(project + "/" + $0) }
    }

    func importer(_ project: String, replace: Bool = false) -> SitadelImporter {
        var importer = SitadelImporter(projectFolder: project)
        importer.settings = fixedSettings
        importer.replace = replace
        return importer
    }

    func write(_ text: String, _ name: String, in scratch: URL) throws -> String {
        let file = scratch.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    static let header = "COMM;TYPE_DAU;NUM_DAU;DATE_REELLE_AUTORISATION;DATE_REELLE_DAACT;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n"

    /// Issue 11, defect 1: a byte-identical copy named `PC_DAU_2017_2021 (1).csv` was imported again, 502 dwellings
    /// became 1 506, exit 0. Now refused, naming the earlier import, with nothing written; the same name still replaces.
    @Test func aCopyUnderAnotherNameIsRefusedAndNothingIsWritten() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try sitadel(project, "PC_DAU_2017_2021.csv")
        let before = snapshot(project)
        let copy = scratch.appendingPathComponent("PC_DAU_2017_2021 (1).csv")
        try FileManager.default.copyItem(atPath: fixture("PC_DAU_2017_2021.csv"), toPath: copy.path)
        #expect {
            try importer(project).run(file: copy.path)
        } throws: { error in
            let e = error as! BilanError
            let d = e.diagnostics[0]
            return e.kind == .input && d.location?.path == copy.path
                && d.message == "« PC_DAU_2017_2021 (1).csv » a le même contenu (empreinte SHA-256) que « PC_DAU_2017_2021.csv », importé le 28 mai 2026 : ses logements seraient comptés deux fois"
                && d.hint == "pour remplacer cet import, réimportez le fichier sous son nom « PC_DAU_2017_2021.csv » ; sinon, rien à faire : il est déjà compté"
        }
        // Not even with --replace: the flag is about stages and emptied files, not about counting a file twice.
        #expect(throws: BilanError.self) { try importer(project, replace: true).run(file: copy.path) }
        #expect(snapshot(project) == before, "production.csv and sources.csv byte-identical")
        // The documented path: the same name again replaces its own rows.
        let again = try sitadel(project, "PC_DAU_2017_2021.csv")
        #expect(again.added == 21 && again.replaced == 21)
        #expect(snapshot(project) == before)
        #expect(try load(project).project.production.reduce(0) { $0 + $1.dwellings } == 98 + 24 + 56)
    }

    /// Issue 11, defect 1: approvals have no permit numbers; the SHA-256 rule applies to them as well.
    @Test func aCopyOfAnApprovalsFileIsRefused() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mapping = try write("colonnes:\n  commune: code\n  annee: annee\n  produit: produit\n  logements: logements\nproduits:\n  PLUS: locatif_social\n",
                                "correspondance.yaml", in: scratch)
        let rows = "code;annee;produit;logements\n62498;2016;PLUS;12\n"
        var approvals = ApprovalImporter(projectFolder: project)
        approvals.settings = fixedSettings
        _ = try approvals.run(file: try write(rows, "agrements-2016.csv", in: scratch), mapping: mapping)
        let before = snapshot(project)
        #expect {
            try approvals.run(file: try write(rows, "agrements-2016 (copie).csv", in: scratch), mapping: mapping)
        } throws: { error in
            (error as! BilanError).diagnostics[0].message.hasPrefix("« agrements-2016 (copie).csv » a le même contenu (empreinte SHA-256) que « agrements-2016.csv », importé le 28 mai 2026")
        }
        #expect(snapshot(project) == before)
        #expect(text(project + "/permis.csv").isEmpty, "no permit ledger for approvals")
    }

    /// Issue 11, defect 1: SDES's period files overlap; a permit (NUM_DAU) counted from one file is not counted again
    /// from the next, the overlap is told, and this holds over later runs (permis.csv).
    @Test func overlappingPermitsAreCountedOnceAcrossRuns() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The older file has no TYPE_DAU column: its numbers still match the newer file's.
        let older = try write("COMM;NUM_DAU;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;0620160001;2016-05-01;10;0;0\n62498;0620170002;2017-01-10;4;4;0\n62510;0620170003;2017-02-01;6;0;0\n",
                              "PC_DAU_2013_2017.csv", in: scratch)
        let newer = try write(Self.header + "62498;PC;0620170002;2017-01-10;;4;4;0\n62510;PC;0620170003;2017-02-01;;6;0;0\n62510;PC;0620170004;2017-06-01;;3;0;0\n62065;PA;0620170004;2017-03-01;;2;0;0\n",
                              "PC_DAU_2017_2021.csv", in: scratch)
        _ = try importer(project).run(file: older)
        let second = try importer(project).run(file: newer)
        #expect(second.summary.contains("2 permis déjà comptés par « PC_DAU_2013_2017.csv », non recomptés (10 logements)."))
        #expect(second.source.rowsRead == 4 && second.source.rowsKept == 2)
        var p = try load(project).project
        #expect(dwellings(p, "62498", 2017, "locatif_social") == 4, "not 8")
        #expect(dwellings(p, "62510", 2017, "libre") == 6 + 3, "not 12 + 3")
        #expect(dwellings(p, "62065", 2017, "libre") == 2, "a PA with the number of a PC is another permit")
        #expect(text(project + "/permis.csv") == """
            source;num_dau;type_dau;deja_compte_par
            PC_DAU_2013_2017.csv;0620160001;;
            PC_DAU_2013_2017.csv;0620170002;;
            PC_DAU_2013_2017.csv;0620170003;;
            PC_DAU_2017_2021.csv;0620170002;PC;PC_DAU_2013_2017.csv
            PC_DAU_2017_2021.csv;0620170003;PC;PC_DAU_2013_2017.csv
            PC_DAU_2017_2021.csv;0620170004;PA;
            PC_DAU_2017_2021.csv;0620170004;PC;

            """)

        // Another run, either file again: the same counts, the same files.
        let before = snapshot(project)
        let third = try importer(project).run(file: newer)
        #expect(third.summary.contains("2 permis déjà comptés par « PC_DAU_2013_2017.csv », non recomptés (10 logements)."))
        let fourth = try importer(project).run(file: older)
        #expect(!fourth.summary.contains { $0.contains("déjà compté") }, "the older file keeps counting its own permits")
        #expect(snapshot(project) == before)

        // The older file corrected without permit 0620170002: the newer one had left it to it, and is told to be re-imported.
        let corrected = try write("COMM;NUM_DAU;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;0620160001;2016-05-01;10;0;0\n62510;0620170003;2017-02-01;6;0;0\n",
                                  "PC_DAU_2013_2017.csv", in: scratch)
        let fifth = try importer(project).run(file: corrected)
        #expect(fifth.notes.map(\.message).contains("1 permis que « PC_DAU_2017_2021.csv » n'a pas compté parce que « PC_DAU_2013_2017.csv » le comptait n'est plus compté"))
        _ = try importer(project).run(file: newer)
        p = try load(project).project
        #expect(dwellings(p, "62498", 2017, "locatif_social") == 4, "counted once again, now from the newer file")
        #expect(dwellings(p, "62510", 2017, "libre") == 9)
    }

    /// Issue 11, defect 1: the same permit twice in one file is counted once, and pointed at.
    @Test func aPermitTwiceInOneFileIsCountedOnce() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try sitadel(text: Self.header + "62498;PC;0620170002;2017-01-10;;4;4;0\n62498;PC;0620170002;2017-01-10;;4;4;0\n",
                                 into: project, scratch: scratch)
        #expect(dwellings(try load(project).project, "62498", 2017, "locatif_social") == 4)
        #expect(report.notes.map(\.description).contains { $0.contains("sitadel.csv:3:10: avertissement : permis 0620170002 déjà lu ligne 2 : non recompté") })
        #expect(report.summary.contains("Permis en double dans le fichier : 1 permis, comptés une fois (voir ci-dessus)."))
    }

    /// Issue 11, defect 2: re-importing with `--stage acheves` replaced the 56 rows counted at `autorises`
    /// (« 0 ligne ajoutée, 56 lignes remplacées »), exit 0. Refused without `--replace`, nothing written; done with it.
    @Test func aReimportAtAnotherStageIsRefusedWithoutTheFlag() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try sitadel(project, "PC_DAU_2017_2021.csv", stage: .autorises)
        let before = snapshot(project)
        #expect {
            try importer(project).run(file: fixture("PC_DAU_2017_2021.csv"), stage: .acheves)
        } throws: { error in
            let d = (error as! BilanError).diagnostics[0]
            return d.message == "« PC_DAU_2017_2021.csv » a été importé le 28 mai 2026 au stade « autorises » (logements autorisés) : le réimporter au stade « acheves » (logements achevés) remplacerait ses 21 lignes de production.csv"
                && d.hint == "ajoutez --replace pour remplacer ces lignes, ou réimportez-le au stade de l'import précédent (--stage autorises)"
        }
        #expect(snapshot(project) == before, "nothing written")

        let replaced = try importer(project, replace: true).run(file: fixture("PC_DAU_2017_2021.csv"), stage: .acheves)
        #expect(replaced.replaced == 21 && replaced.source.stage == .acheves)
        let p = try load(project).project
        #expect(p.sources.last?.stage == .acheves)
        #expect(text(project + "/sources.csv").contains(";2026-05-28;acheves;"))
    }

    /// Issue 11, defect 2: a re-import that would replace rows with none (a file emptied, a stage without dates) is
    /// refused without `--replace`.
    @Test func replacingRowsWithNoneIsRefusedWithoutTheFlag() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try sitadel(text: Self.header + "62498;PC;0620170002;2017-01-10;;4;4;0\n62510;PC;0620170003;2016-02-01;;6;0;0\n", into: project, scratch: scratch)
        let before = snapshot(project)
        // The file downloaded again, for the wrong area: no permit of the EPCI left.
        let emptied = Self.header + "59350;PC;0590170002;2017-01-10;;4;4;0\n"
        #expect {
            try sitadel(text: emptied, into: project, scratch: scratch)
        } throws: { error in
            let d = (error as! BilanError).diagnostics[0]
            return d.message == "réimporter « sitadel.csv » ne donne aucune ligne de production : les 2 lignes de son import précédent le 28 mai 2026 seraient supprimées de production.csv"
                && d.hint == "vérifiez le fichier et le stade ; ajoutez --replace pour supprimer ces lignes"
        }
        #expect(snapshot(project) == before, "nothing written")
        let done = try importer(project, replace: true).run(file: scratch.appendingPathComponent("sitadel.csv").path)
        #expect(done.added == 0 && done.replaced == 2)
        #expect(try load(project).project.production.isEmpty)
        #expect(!text(project + "/permis.csv").contains("0620170002"), "its permits are no longer counted")
    }

    /// Issue 11, defect 2: projects written with `stade: livres` still load, as the one stage `acheves`.
    @Test func livresIsStillAcceptedInThePlanFile() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = URL(fileURLWithPath: project + "/plh.yaml")
        try Data(text(plan.path).replacingOccurrences(of: "stade: autorises ", with: "stade: livres    ").utf8).write(to: plan)
        #expect(try load(project).project.bilan.stage == .acheves)
        // The bilan's stage dates the permits when --stage is not given: achevés, by DATE_REELLE_DAACT.
        let report = try sitadel(project, "PC_DAU_2017_2021.csv")
        #expect(report.source.stage == .acheves)
        #expect(report.summary.first?.contains("(date d'achèvement, communes de l'EPCI") == true)
        #expect(!report.summary.contains { $0.hasPrefix("Attention") })
        #expect(try load(project).warnings.allSatisfy { !$0.message.contains("le bilan compte") })
    }

    /// Issue 11, defect 2: one vocabulary; `agrees` is not a stage of Sitadel permits.
    @Test func theStageIsOneTypeWithOneWording() throws {
        #expect(CountingStage.allCases.map(\.code) == ["autorises", "commences", "acheves", "agrees"])
        #expect(CountingStage(code: "livres") == .acheves && CountingStage(code: "acheves") == .acheves && CountingStage(code: "livre") == nil)
        #expect(CountingStage.allCases.map(\.dwellings) == ["logements autorisés", "logements commencés", "logements achevés", "logements agréés"])
        #expect(CountingStage.sitadel == [.autorises, .commences, .acheves])
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect {
            try sitadel(project, "PC_DAU_2017_2021.csv", stage: .agrees)
        } throws: { error in
            let e = error as! BilanError
            return e.kind == .usage && e.diagnostics[0].message == "--stage agrees : les permis Sitadel ne datent pas les logements agréés"
        }
    }
}
