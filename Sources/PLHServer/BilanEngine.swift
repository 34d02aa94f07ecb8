import Foundation
import PLHBilan

/// The one file where the server calls the library: `init` (ProjectInitialiser), loading (ProjectLoader) and
/// rendering (BilanGenerator). No rule of the engine is written again here; adjust this file when its API changes.
enum BilanEngine {
    /// What a new project's form chose.
    struct NewProject {
        var siren: String
        var kind: BilanKind
        var date: CalendarDate
        var years: ClosedRange<Int>
        var stage: CountingStage
    }

    /// Writes into `folder` (which must not exist yet) the project `init` makes, for the bilan's type, date and stage
    /// of the form; the workspace then loads it before it becomes version 1.
    static func initialise(_ choice: NewProject, folder: URL, settings: RunSettings) throws(BilanError) -> InitReport {
        var initialiser = ProjectInitialiser()
        initialiser.settings = settings
        return try initialiser.run(folder: folder.path, siren: choice.siren, period: choice.years,
                                   bilan: .init(kind: choice.kind, date: choice.date, stage: choice.stage))
    }

    /// Loads and validates a project; messages name its files relative to the project (never the server's paths).
    static func load(_ folder: URL) throws(BilanError) -> LoadedProject {
        try ProjectLoader(folder: ProjectFolder(folder.path, displayPath: ".")).load()
    }

    /// The project's plan file, to edit key by key.
    static func planFile(_ folder: URL) throws(BilanError) -> PlanFile {
        let path = folder.appendingPathComponent(ProjectLoader.planFileName).path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BilanError(.input, at: SourceLocation(path: ProjectLoader.planFileName), "le fichier du projet est illisible")
        }
        return try PlanFile(text: text, path: ProjectLoader.planFileName)
    }

    /// One of the project's tables (`communes`, `objectifs`, `production`: its key in `fichiers:`), as plh.yaml names it.
    static func table(_ folder: URL, _ key: String, plan: PlanFile) throws(BilanError) -> EditableTable {
        let defaults = ["communes": "communes.csv", "objectifs": "objectifs.csv", "production": "production.csv"]
        let file = plan.string(["fichiers", key]) ?? defaults[key] ?? key
        let encoding: TextEncoding? = switch normalisedName(plan.string(["fichiers", "encodage"]) ?? "") {
        case "utf_8", "utf8": .utf8
        case "windows_1252", "cp1252", "latin_1", "latin1", "iso_8859_1", "ansi": .windows1252
        default: nil
        }
        return try EditableTable(folder: folder, file: file, sheet: plan.string(["fichiers", "feuilles", key]), encoding: encoding)
    }

    /// Writes an edited table into a staging folder: as CSV, and for a table read from a workbook, a CSV beside it
    /// that `fichiers.<key>` then names.
    static func write(_ table: EditableTable, key: String, into folder: URL) throws(BilanError) {
        try table.write(into: folder)
        guard table.isWorkbook else { return }
        var plan = try planFile(folder)
        plan.set(["fichiers", key], table.csvFileName)
        plan.set(["fichiers", "feuilles", key], nil)
        try writePlan(plan.text, into: folder)
    }

    /// Writes plh.yaml into a staging folder.
    static func writePlan(_ text: String, into folder: URL) throws(BilanError) {
        do {
            try Data(text.utf8).write(to: folder.appendingPathComponent(ProjectLoader.planFileName))
        } catch {
            throw BilanError(.output, at: SourceLocation(path: ProjectLoader.planFileName),
                             systemErrorText(error, path: ProjectLoader.planFileName))
        }
    }

    /// The bilan's HTML, as `render` makes it.
    static func preview(_ folder: URL, settings: RunSettings) throws(BilanError) -> String {
        let generator = try BilanGenerator(projectFolder: folder.path, settings: settings)
        let loaded = try load(folder)
        return try generator.render(loaded.project, Achievement(project: loaded.project)).html
    }

    /// The Content-Security-Policy the bilan's own document declares, for the preview's header.
    static let bilanPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

/// The EPCIs of the DGCL list the tool ships, read once: organisations of type EPCI are checked against it.
struct EPCIDirectory: Sendable {
    struct Entry: Sendable {
        var name: String
        var communes: Int
    }

    let entries: [String: Entry]

    static let shipped: EPCIDirectory = {
        var entries: [String: Entry] = [:]
        var diagnostics = Diagnostics()
        if let bytes = FileManager.default.contents(atPath: ReferenceData.dgclCommunes.path) {
            _ = try? DGCLTable.read(Array(bytes), path: ReferenceData.dgclCommunes.lastPathComponent, diagnostics: &diagnostics) { row in
                entries[row.siren, default: Entry(name: row.epciName, communes: 0)].communes += 1
            }
        }
        return EPCIDirectory(entries: entries)
    }()

    subscript(_ siren: String) -> Entry? { entries[siren] }
}
