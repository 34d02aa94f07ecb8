import Foundation
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
