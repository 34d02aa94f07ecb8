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
