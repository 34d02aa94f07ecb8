import Foundation
import PLHLoad
import PLHBase
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHImport

/// A fixed import day: 28 May 2026.
let fixedSettings = RunSettings(sourceDateEpoch: 1_780_000_000)

let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// A fresh folder to create projects in, removed by the caller.
func scratchFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plh-import-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A project made by `init` for `siren` over `period`, in a new scratch folder.
func initialisedProject(siren: String = "246200364", period: ClosedRange<Int> = 2015...2020) throws -> (project: String, scratch: URL) {
    let scratch = scratchFolder()
    let folder = scratch.appendingPathComponent("projet").path
    var initialiser = ProjectInitialiser()
    initialiser.settings = fixedSettings
    _ = try initialiser.run(folder: folder, siren: siren, period: period)
    return (folder, scratch)
}

func sitadel(_ project: String, _ file: String, stage: CountingStage? = nil) throws -> ImportReport {
    var importer = SitadelImporter(projectFolder: project)
    importer.settings = fixedSettings
    return try importer.run(file: fixture(file), stage: stage)
}

/// Writes `text` as a Sitadel file in the scratch folder and imports it (at the bilan's stage).
func sitadel(text: String, into project: String, scratch: URL, name: String = "sitadel.csv") throws -> ImportReport {
    let file = scratch.appendingPathComponent(name)
    try Data(text.utf8).write(to: file)
    var importer = SitadelImporter(projectFolder: project)
    importer.settings = fixedSettings
    return try importer.run(file: file.path)
}

func load(_ project: String) throws -> LoadedProject {
    try ProjectLoader(folder: ProjectFolder(project)).load()
}

/// Dwellings of one commune, year and segment in a loaded project.
func dwellings(_ p: Project, _ commune: String, _ year: Int, _ segment: String) -> Int {
    p.production.filter { $0.commune == commune && $0.year == year && $0.segment == segment }.reduce(0) { $0 + $1.dwellings }
}

func text(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
}
