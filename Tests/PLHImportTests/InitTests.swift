import Foundation
import PLHCompute
import PLHLoad
import PLHModel
import Testing
@testable import PLHImport

@Suite struct InitTests {
    @Test func theCALLGetsItsThirtySixCommunesAndTheirPopulations() throws {
        let (folder, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let loaded = try load(folder)
        let p = loaded.project
        #expect(p.epci.siren == "246200364")
        #expect(p.epci.name == "CA de Lens - Liévin")
        #expect(p.communes.count == 36)
        // Municipal populations of the DGCL 2026 file (pmun_2025).
        #expect(p.communes.reduce(0) { $0 + $1.population } == 242_591)
        let byCode = Dictionary(uniqueKeysWithValues: p.communes.map { ($0.code, $0) })
        #expect(byCode["62498"]?.population == 32_697 && byCode["62498"]?.name == "Lens")
        #expect(byCode["62291"]?.name == "Éleu-dit-Leauwette" && byCode["62291"]?.population == 2_815)
        #expect(byCode["62107"]?.population == 337)
        #expect(p.populationVintage == "2025")
        #expect(p.plan.years == 2015...2020 && p.bilan.countedYears == [2015, 2016, 2017])
        #expect(p.segments.map(\.code) == ["locatif_social", "accession_sociale", "libre"])
        #expect(p.segments.map(\.sitadel) == [SitadelBucket.locatifSocial, .accessionSociale, .libre])
        #expect(p.objectives.isEmpty && p.production.isEmpty)
        #expect(Set(p.communes.map(\.category)) == ["toutes"])
        let source = try #require(p.sources.first)
        #expect(p.sources.count == 1 && source.kind == .communes && source.rowsRead == 34_871 && source.rowsKept == 36)
        #expect(source.sha256.hasPrefix("5bb0f6a3"), "the SHA-256 of the shipped DGCL file (data/README.md)")
        #expect(source.importDate == CalendarDate(year: 2026, month: 5, day: 28))
        // Few and meaningful warnings: only the missing production.
        #expect(loaded.warnings.map(\.message) == ["aucune production comptée de 2015 à 2017, dans aucune commune"])
    }

    /// Issue 11, defect 11: `init` wrote the mixed segment `libre` (« accession et locatif privé ») with `famille: accession`,
    /// so a project with mostly private production was told « Ensemble « accession » sur-représenté ». The mixed segment
    /// now belongs to no family, and a segment without family is only ever stated on its own.
    @Test func theMixedSegmentBelongsToNoFamily() throws {
        let (folder, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(try load(folder).project.segments.map(\.family) == ["locatif social", "accession", nil])
        try Data("categorie;code_insee;segment;logements;periode\ntoutes;;locatif_social;40;an\ntoutes;;accession_sociale;20;an\ntoutes;;libre;40;an\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/objectifs.csv"))
        // Mostly private production: 85 of 100 dwellings in the free market.
        _ = try sitadel(text: "COMM;DATE_REELLE_AUTORISATION;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ\n62498;2016-04-01;100;10;5\n",
                        into: folder, scratch: scratch)
        let project = try load(folder).project
        let findings = Achievement(project: project).findings(settings: project.findingSettings)["EPCI"] ?? []
        let ids = findings.map(\.id)
        #expect(!ids.contains { $0.contains("famille-accession") }, "\(ids)")
        #expect(ids.contains("representation/EPCI/libre"), "the free market, on its own, is over-represented")
        #expect(findings.allSatisfy { finding in
            guard case .representation(_, let item) = finding.kind else { return true }
            return !item.isFamily
        })
    }

    @Test func everyKeyOfThePlanFileIsCommented() throws {
        let (folder, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let yaml = text(folder + "/plh.yaml")
        let keyLines = yaml.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && $0.contains(":") }
        #expect(keyLines.count > 30)
        for line in keyLines {
            #expect(line.contains(" # "), "a key without its French comment: \(line)")
        }
        #expect(text(folder + "/recits/bilan-global.md").contains("<!--"), "narratives carry guidance as comments")
    }

    @Test func unknownSirenSuggestsTheNearest() throws {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("projet").path
        #expect {
            try ProjectInitialiser().run(folder: folder, siren: "246200346")
        } throws: { error in
            let e = error as! BilanError
            return e.kind == .input && e.diagnostics[0].message == "SIREN « 246200346 » : aucun EPCI de ce numéro dans le fichier des communes"
                && e.diagnostics[0].hint == "SIREN proches : 246200364 CA de Lens - Liévin"
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "nothing written")
    }

    @Test func aNonEmptyFolderIsRefused() throws {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("projet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("mes notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect {
            try ProjectInitialiser().run(folder: folder.path, siren: "246200364")
        } throws: { error in
            (error as! BilanError).diagnostics[0].message.contains("existe déjà et n'est pas vide")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    }

    @Test func anotherVintageOfTheDGCLFileIsReadByItsPopulationPrefix() throws {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("epcicom2027.csv")
        try Data("""
        dept;siren;raison_sociale;insee;nom_membre;ptot_2026;pmun_2026
        2A;200066744;CA du Pays Ajaccien;2A004;Ajaccio;74000;73000
        2A;200066744;CA du Pays Ajaccien;2A006;Alata;3300;3200

        """.utf8).write(to: file)
        var initialiser = ProjectInitialiser()
        initialiser.communesFile = file.path
        let report = try initialiser.run(folder: scratch.appendingPathComponent("ajaccio").path, siren: "200066744")
        #expect(report.communes == 2 && report.population == 76_200 && report.populationVintage == "2026")
        let loaded = try load(scratch.appendingPathComponent("ajaccio").path)
        #expect(loaded.project.communes.map(\.code) == ["2A004", "2A006"])
        #expect(loaded.project.sources.first?.identifier == "epcicom2027.csv")

        try Data("siren;raison_sociale;insee;nom_membre;ptot_2026\n".utf8).write(to: file)
        #expect {
            try initialiser.run(folder: scratch.appendingPathComponent("autre").path, siren: "200066744")
        } throws: { error in
            let d = (error as! BilanError).diagnostics[0]
            return d.location?.description == "\(file.path):1" && d.message.contains("pmun_AAAA")
        }
    }

    /// The 2019 extract names its columns differently; its populations are those of the bilan presented in 2019.
    @Test func theCALLIn2019FromItsExtract() throws {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var initialiser = ProjectInitialiser()
        initialiser.communesFile = fixture("call_246200364_communes_2019.csv")
        let report = try initialiser.run(folder: scratch.appendingPathComponent("call").path, siren: "246200364")
        #expect(report.communes == 36 && report.population == 242_386 && report.populationVintage == "2019")
        let p = try load(scratch.appendingPathComponent("call").path).project
        #expect(p.communes.first { $0.code == "62498" }?.population == 30_689, "pmun_2019_dgcl, not ptot_2019_dgcl")
        #expect(p.epci.name == "CA de Lens - Liévin" && p.populationVintage == "2019")
    }

    @Test func oneCommuneWithoutProductionIsStillNamed() throws {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("une.csv")
        try Data("siren;raison_sociale;insee;nom_membre;pmun_2025\n200000001;Commune seule;62498;Lens;32697\n".utf8).write(to: file)
        var initialiser = ProjectInitialiser()
        initialiser.communesFile = file.path
        _ = try initialiser.run(folder: scratch.appendingPathComponent("p").path, siren: "200000001")
        let warnings = try load(scratch.appendingPathComponent("p").path).warnings.map(\.message)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("aucune production comptée") && warnings[0].hasSuffix("pour Lens (62498)"))
    }
}

/// The bilan a new project is set for (the web form's choices): its type, date and stage, and the years such a
/// bilan counts, never one after its date.
@Suite struct InitBilanChoiceTests {
    func project(_ choice: ProjectInitialiser.BilanChoice) throws -> Project {
        let scratch = scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var initialiser = ProjectInitialiser()
        initialiser.settings = fixedSettings
        let folder = scratch.appendingPathComponent("p").path
        _ = try initialiser.run(folder: folder, siren: "246200364", period: 2015...2020, bilan: choice)
        return try load(folder).project
    }

    @Test func aFinalBilanCountsEveryFullYear() throws {
        let p = try project(.init(kind: .final, date: CalendarDate(year: 2021, month: 3, day: 1), stage: .commences))
        #expect(p.bilan.kind == .final && p.bilan.stage == .commences)
        #expect(p.bilan.date == CalendarDate(year: 2021, month: 3, day: 1))
        #expect(p.bilan.countedYears == Array(2015...2020))
    }

    @Test func anEarlyTriennialBilanCountsNoYearAfterItsDate() throws {
        let p = try project(.init(kind: .triennal, date: CalendarDate(year: 2017, month: 2, day: 1)))
        #expect(p.bilan.countedYears == [2015, 2016])
        let annual = try project(.init(kind: .annuel, date: CalendarDate(year: 2019, month: 1, day: 15), stage: .acheves))
        #expect(annual.bilan.countedYears == [2018] && annual.bilan.stage == .acheves)
    }
}
