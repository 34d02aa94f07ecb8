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

    /// One narrative (récit) of the project, as the editor lists it.
    struct NarrativeEntry: Sendable {
        /// 1-based, in `narratives(of:)`'s order: the address of its editor.
        var rank: Int
        var orientation: String
        /// « Bilan global », the category's label, or « Perspectives ».
        var section: String
        var narrative: Narrative
    }

    /// The project's narratives in the bilan's order: orientation by orientation, the bilan global, the
    /// categories in the project's order, then the perspectives.
    static func narratives(of project: Project) -> [NarrativeEntry] {
        var entries: [NarrativeEntry] = []
        func add(_ orientation: Orientation, _ section: String, _ narrative: Narrative?) {
            guard let narrative else { return }
            entries.append(NarrativeEntry(rank: entries.count + 1, orientation: orientation.title, section: section, narrative: narrative))
        }
        for orientation in project.orientations {
            add(orientation, "Bilan global", orientation.globalNarrative)
            for category in project.categories { add(orientation, category.label, orientation.categoryNarratives[category.code]) }
            // A category narrative the project's categories do not list (the loader refuses them) would come last.
            for (code, narrative) in orientation.categoryNarratives.sorted(by: { $0.key < $1.key })
            where !project.categories.contains(where: { $0.code == code }) {
                add(orientation, code, narrative)
            }
            add(orientation, "Perspectives", orientation.perspectives)
        }
        return entries
    }

    /// The figures narratives may cite, as `plh-bilan chiffres` lists them.
    static func figures(_ project: Project, _ achievement: Achievement) -> NarrativeFigures {
        ViewModel(project: project, achievement: achievement).figures
    }

    /// A narrative's text rendered as the bilan shows it, always in cmark's safe mode: the preview is inserted
    /// into the application's own page.
    static func preview(_ text: String, of entry: NarrativeEntry, figures: NarrativeFigures) -> NarrativePreview {
        var narrative = entry.narrative
        narrative.markdown = text
        return NarrativePreview.render(narrative, figures: figures, allowRawHTML: false)
    }

    /// The bilan rendered, with its annexes, as `render` makes it.
    static func render(_ folder: URL, settings: RunSettings) throws(BilanError) -> RenderedBilan {
        let generator = try BilanGenerator(projectFolder: folder.path, settings: settings)
        let loaded = try generator.load()
        return try generator.render(loaded.project, Achievement(project: loaded.project))
    }

    /// The bilan's PDF, as `render --pdf` prints it; a missing Chromium is a `.missingTool` error.
    static func pdf(_ folder: URL, settings: RunSettings) throws(BilanError) -> [UInt8] {
        let generator = try BilanGenerator(projectFolder: folder.path, settings: settings)
        let printer = try PDFPrinter(settings: settings)
        let loaded = try generator.load()
        let pipeline = Pipeline(renderer: try generator.renderer, settings: settings, printer: printer)
        let produced = try pipeline.run(loaded.project, folder: nil, archive: nil)
        guard let pdf = produced.bilan.pdf else { throw BilanError(.internal, at: nil, "le PDF n'a pas été produit") }
        return pdf
    }

    /// Whether a PDF can be printed: Chromium found (or the one the settings force is a program).
    static func printerError(settings: RunSettings) -> BilanError? {
        do throws(BilanError) {
            _ = try PDFPrinter(settings: settings)
            return nil
        } catch {
            return error
        }
    }

    /// The submission archive exactly as `plh-bilan package` writes it for this folder (without PDF), written in a
    /// temporary folder by the library and read back; an incomplete bilan is refused unless `draft`.
    static func package(_ folder: URL, settings: RunSettings, draft: Bool) throws(BilanError) -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("plh-depot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let generator = try BilanGenerator(projectFolder: folder.path, settings: settings)
        _ = try generator.package(into: output.path, pdf: false, draft: draft)
        let archive = output.appendingPathComponent(folder.lastPathComponent + ".zip")
        guard let bytes = FileManager.default.contents(atPath: archive.path) else {
            throw BilanError(.internal, at: nil, "l'archive de dépôt écrite est introuvable")
        }
        return [UInt8](bytes)
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
        if let file = try? ReferenceData.dgclCommunes(), let bytes = FileManager.default.contents(atPath: file.path) {
            _ = try? DGCLTable.read(Array(bytes), path: file.lastPathComponent, diagnostics: &diagnostics) { row in
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
