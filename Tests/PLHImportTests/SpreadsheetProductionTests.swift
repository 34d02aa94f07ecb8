import Foundation
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

/// Issue 12 (uploads): the loader reads a production table in `.xlsx`, but imports rewrite that file as CSV; an
/// import into such a project is refused before anything is read or written, rather than writing CSV over a workbook.
@Suite struct SpreadsheetProductionTests {
    @Test func importsRefuseAWorkbookProductionAndWriteNothing() throws {
        let (project, scratch) = try initialisedProject()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = project + "/plh.yaml"
        try Data((text(plan) + "fichiers:\n  production: production.xlsx\n").utf8).write(to: URL(fileURLWithPath: plan))
        try FileManager.default.removeItem(atPath: project + "/production.csv")
        try FileManager.default.copyItem(atPath: fixture("production-vide.xlsx"), toPath: project + "/production.xlsx")
        // The project itself loads: the loader reads the workbook.
        #expect(try load(project).productionFile == "production.xlsx")
        let before = [text(project + "/production.xlsx"), text(project + "/sources.csv")]
        let mapping = TestProject.repositoryRoot.appendingPathComponent("examples/agrements-correspondance.yaml")
        let imports: [() throws -> ImportReport] = [
            { try sitadel(project, "PC_DAU_2017_2021.csv") },
            { try ApprovalImporter(projectFolder: project).run(file: fixture("agrements.csv"), mapping: mapping.path) },
        ]
        for run in imports {
            #expect {
                try run()
            } throws: { error in
                let d = (error as? BilanError)?.diagnostics.first
                return d?.location?.path.hasSuffix("production.xlsx") == true
                    && d?.message == "les imports réécrivent le fichier de production, qui doit donc être un fichier CSV, pas un classeur"
            }
        }
        #expect([text(project + "/production.xlsx"), text(project + "/sources.csv")] == before)
        #expect(!FileManager.default.fileExists(atPath: project + "/production.csv"))
        #expect(!FileManager.default.fileExists(atPath: project + "/permis.csv"))
    }
}
