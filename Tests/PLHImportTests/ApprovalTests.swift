import Foundation
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

@Suite struct ApprovalTests {
    static let exampleMapping = TestProject.repositoryRoot.appendingPathComponent("examples/agrements-correspondance.yaml").path

    /// The CALL project with PLAI, PLUS and PLS segments in place of Sitadel's social rental.
    func projectWithProducts() throws -> (String, URL) {
        let (project, scratch) = try initialisedProject()
        let plan = URL(fileURLWithPath: project + "/plh.yaml")
        let products = ["plai", "plus", "pls"].map { "  - code: \($0)   # produit\n    libelle: \($0.uppercased())   # libellé\n" }.joined()
        let yaml = text(plan.path).replacingOccurrences(of: "  - code: accession_sociale ", with: products + "  - code: accession_sociale ")
        #expect(yaml.contains("code: pls"))
        try Data(yaml.utf8).write(to: plan)
        return (project, scratch)
    }

    @Test func approvalsImportThroughTheExampleMapping() throws {
        let (project, scratch) = try projectWithProducts()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var importer = ApprovalImporter(projectFolder: project)
        importer.settings = fixedSettings
        let report = try importer.run(file: fixture("agrements.csv"), mapping: Self.exampleMapping)
        let p = try load(project).project
        #expect(dwellings(p, "62498", 2016, "plai") == 6 && dwellings(p, "62498", 2016, "plus") == 14)
        #expect(dwellings(p, "62510", 2017, "pls") == 10 && dwellings(p, "62510", 2017, "plai") == 3)
        #expect(dwellings(p, "62498", 2017, "plus") == 4, "product names compared whatever their case")
        #expect(p.production.count == 5)
        #expect(report.source.kind == .agrements && report.source.stage == .agrees)
        #expect(report.source.rowsRead == 8 && report.source.rowsKept == 5 && report.source.outsideEPCI == 1 && report.source.outsidePeriod == 1)
        let psla = try #require(report.notes.first { $0.message.contains("PSLA") })
        #expect(psla.location?.line == 8 && psla.message == "produit « PSLA » absent du fichier de correspondance : 1 ligne, 5 logements non retenus")
        #expect(report.summary.contains("production.csv : 5 lignes ajoutées, 0 ligne remplacée (import précédent de agrements.csv)."))
    }

    @Test func approvalsAndPermitsInTheSameSegmentAreFlagged() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mapping = scratch.appendingPathComponent("correspondance.yaml")
        try Data("""
        colonnes:
          commune: code insee
          annee: date
          produit: produit
          logements: nombre de logements
        produits:
          PLAI: locatif_social
          PLUS: locatif_social
          PLS: locatif_social
        date: JJ/MM/AAAA

        """.utf8).write(to: mapping)
        let file = scratch.appendingPathComponent("agr.csv")
        try Data("Code INSEE,Date,Produit,Nombre de logements\n62498,15/03/2016,PLUS,12\n62498,01/12/2016,PLAI,3\n".utf8).write(to: file)
        _ = try sitadel(project, "PC_DAU_2013_2016.csv")
        var importer = ApprovalImporter(projectFolder: project)
        importer.settings = fixedSettings
        _ = try importer.run(file: file.path, mapping: mapping.path)
        let loaded = try load(project)
        #expect(dwellings(loaded.project, "62498", 2016, "locatif_social") == 15)
        #expect(loaded.warnings.map(\.message).contains("le segment « locatif_social » reçoit des lignes de sources de types différents (agrements et sitadel) : risque de double compte"))
    }

    @Test func mappingErrorsNameTheirLineAndColumn() throws {
        let (project, scratch) = try projectWithProducts()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mapping = scratch.appendingPathComponent("correspondance.yaml")
        func errors(_ yaml: String) -> [Diagnostic] {
            try? Data(yaml.utf8).write(to: mapping)
            do {
                _ = try ApprovalImporter(projectFolder: project).run(file: fixture("agrements.csv"), mapping: mapping.path)
                return []
            } catch {
                return error.diagnostics.filter { $0.severity == .error }
            }
        }
        let good = text(Self.exampleMapping)
        let badColumn = errors(good.replacingOccurrences(of: "logements: Nombre de logements", with: "logements: Nombre de logement"))
        #expect(badColumn.map(\.location?.description) == ["\(mapping.path):12:14"])
        #expect(badColumn.first?.hint == "vouliez-vous dire « Nombre de logements » ?")
        let badSegment = errors(good.replacingOccurrences(of: "PLS: pls", with: "PLS: psl"))
        #expect(badSegment.map(\.location?.description) == ["\(mapping.path):17:8"])
        #expect(badSegment.first?.message == "segment « psl » non déclaré dans plh.yaml")
        let badKey = errors(good.replacingOccurrences(of: "  produit: Produit", with: "  produits: Produit"))
        #expect(badKey.first?.location?.description == "\(mapping.path):11:3")
        #expect(badKey.first?.message == "clé « produits » inconnue dans « colonnes »")
        #expect(try load(project).project.production.isEmpty, "nothing written")
    }
}
