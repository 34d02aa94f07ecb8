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

    /// The bilan's HTML, as `render` makes it.
    static func preview(_ folder: URL, settings: RunSettings) throws(BilanError) -> String {
        let generator = try BilanGenerator(projectFolder: folder.path, settings: settings)
        let loaded = try load(folder)
        return try generator.render(loaded.project, Achievement(project: loaded.project)).html
    }

    /// The Content-Security-Policy the bilan's own document declares, for the preview's header.
    static let bilanPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

/// The EPCIs of the DGCL list the tool ships, read once: organisations of type EPCI are checked against it, and the
/// départements of their communes place them in the territory of a département or a State service.
struct EPCIDirectory: Sendable {
    struct Entry: Sendable {
        var name: String
        var communes: Int
        /// The départements of its communes (`CommuneCode.department`): two for an EPCI across a border.
        var departments: Set<String> = []
    }

    let entries: [String: Entry]

    static let shipped: EPCIDirectory = {
        var entries: [String: Entry] = [:]
        var diagnostics = Diagnostics()
        if let bytes = FileManager.default.contents(atPath: ReferenceData.dgclCommunes.path) {
            _ = try? DGCLTable.read(Array(bytes), path: ReferenceData.dgclCommunes.lastPathComponent, diagnostics: &diagnostics) { row in
                entries[row.siren, default: Entry(name: row.epciName, communes: 0)].communes += 1
                entries[row.siren]?.departments.insert(CommuneCode.department(of: row.code))
            }
        }
        return EPCIDirectory(entries: entries)
    }()

    subscript(_ siren: String) -> Entry? { entries[siren] }

    /// Every département some EPCI of the list has communes in.
    var departments: Set<String> {
        entries.values.reduce(into: Set<String>()) { $0.formUnion($1.departments) }
    }
}

extension BilanEngine {
    /// Sets one value of the project's plh.yaml (`["fichiers", "production"]`), through the library's plan editor.
    static func setPlanValue(in folder: URL, _ path: [String], _ value: String?) throws {
        let url = folder.appendingPathComponent(ProjectLoader.planFileName)
        let text = try String(contentsOf: url, encoding: .utf8)
        var plan = try PlanFile(text: text, path: ProjectLoader.planFileName)
        plan.set(path, value)
        try Data(plan.text.utf8).write(to: url)
    }

    /// Diagnostics as the pages list them, in French: « fichier (feuille « F »), ligne 12, colonne C : message → conseil ».
    /// `uploaded` (stored name, name sent) shows an uploaded file under the name the user knows.
    static func messages(_ diagnostics: [Diagnostic], uploaded: (stored: String, sent: String)?) -> [String] {
        diagnostics.map { diagnostic in
            var text = ""
            if let location = diagnostic.location {
                var path = location.path
                if let uploaded, path.hasPrefix(uploaded.stored) {
                    path = "« \(uploaded.sent) »" + path.dropFirst(uploaded.stored.count)
                }
                text = path
                if let line = location.line { text += ", ligne \(line)" }
                if let column = location.column {
                    text += ", colonne " + (location.path.contains("(feuille ") ? SpreadsheetDocument.columnName(column) : String(column))
                }
                text += " : "
            }
            text += (diagnostic.severity == .warning ? "avertissement : " : "") + diagnostic.message
            if let hint = diagnostic.hint { text += " → " + hint }
            return text
        }
    }

    /// The error with the server's folders removed from its paths and messages (`/data/imports/…/x.csv` → `x.csv`).
    static func relative(_ error: BilanError, folders: [URL: String]) -> BilanError {
        var error = error
        func strip(_ text: String) -> String {
            var text = text
            for (folder, replacement) in folders {
                for prefix in [folder.path + "/", folder.standardizedFileURL.path + "/", folder.path] {
                    text = text.replacingOccurrences(of: prefix, with: replacement)
                }
            }
            return text
        }
        error.diagnostics = error.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            if var location = diagnostic.location {
                location.path = strip(location.path)
                if location.path.isEmpty { location.path = "." }
                diagnostic.location = location
            }
            diagnostic.message = strip(diagnostic.message)
            diagnostic.hint = diagnostic.hint.map(strip)
            return diagnostic
        }
        return error
    }
}
