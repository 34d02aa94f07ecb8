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

    /// Makes the project `init` makes, with the bilan's type, date and stage of the form, checked by the loader;
    /// written beside `folder` and moved into place only when it loads, so that nothing half-made remains.
    static func create(_ choice: NewProject, folder: URL) throws(BilanError) -> InitReport {
        let staging = folder.deletingLastPathComponent().appendingPathComponent(".nouveau-" + folder.lastPathComponent)
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        var report = try ProjectInitialiser().run(folder: staging.path, siren: choice.siren, period: choice.years)
        try setBilan(choice, in: staging)
        _ = try load(staging)
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            throw BilanError(.output, at: nil, "le projet n'a pas pu être enregistré : \(systemErrorText(error, path: folder.path))")
        }
        report.folder = folder.lastPathComponent
        return report
    }

    /// Sets `bilan.type`, `bilan.date` and `bilan.stade` in the plh.yaml that `init` wrote (one line each).
    static func setBilan(_ choice: NewProject, in folder: URL) throws(BilanError) {
        let url = folder.appendingPathComponent(ProjectLoader.planFileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw BilanError(.output, at: SourceLocation(path: ProjectLoader.planFileName), "plh.yaml illisible après init")
        }
        var lines = text.components(separatedBy: "\n")
        var inBilan = false
        var set: Set<String> = []
        for index in lines.indices {
            let line = lines[index]
            if !line.hasPrefix(" ") && !line.hasPrefix("#") && !line.isEmpty { inBilan = line.hasPrefix("bilan:") }
            guard inBilan else { continue }
            for (key, value) in [("type", choice.kind.rawValue), ("date", choice.date.iso8601), ("stade", choice.stage.code)] {
                let prefix = "  \(key): "
                guard line.hasPrefix(prefix), !set.contains(key) else { continue }
                let rest = line.dropFirst(prefix.count)
                let comment = rest.firstIndex(of: "#").map { "   " + rest[$0...] } ?? ""
                lines[index] = prefix + value + comment
                set.insert(key)
            }
        }
        guard set.count == 3 else {
            throw BilanError(.output, at: SourceLocation(path: ProjectLoader.planFileName),
                             "plh.yaml écrit par init n'a pas les clés bilan.type, bilan.date et bilan.stade attendues")
        }
        do {
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw BilanError(.output, at: nil, systemErrorText(error, path: ProjectLoader.planFileName))
        }
    }

    /// Loads and validates a project; messages name its files relative to the project (never the server's paths).
    static func load(_ folder: URL) throws(BilanError) -> LoadedProject {
        try ProjectLoader(folder: ProjectFolder(folder.path, displayPath: ".")).load()
    }

    /// The bilan's HTML, as `render` makes it.
    static func preview(_ folder: URL) throws(BilanError) -> String {
        let generator = try BilanGenerator(projectFolder: folder.path)
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
