import Foundation
import PLHLoad
import PLHBase
import PLHModel

/// The project's production file as rows of text, so that an import replaces its own rows and leaves every
/// other row (typed in, or from another import) as it was.
struct ProductionFile {
    struct Row: Hashable {
        var code: String
        var commune: String
        var year: String
        var segment: String
        var dwellings: String
        var source: String
    }

    static let columns = ["code_insee", "commune", "annee", "segment", "logements", "source"]

    var rows: [Row] = []

    /// Reads the file if it exists (the project loaded it already, so it is valid).
    init(folder: ProjectFolder, file: String, encoding: TextEncoding?) throws(BilanError) {
        try Self.refuseSpreadsheet(file, in: folder)
        guard folder.exists(file) else { return }
        let path = folder.display(file)
        let document = try CSVDocument(bytes: try folder.read(file, referencedAt: nil), path: path, encoding: encoding)
        guard let first = document.records.first else { return }
        let table = try header(first, path: path, delimiter: document.delimiter,
                               required: ["code_insee", "annee", "segment", "logements"], optional: ["commune", "source"])
        var diagnostics = Diagnostics()
        for record in document.records.dropFirst() {
            guard let row = table.row(record, diagnostics: &diagnostics) else { continue }
            rows.append(Row(code: row["code_insee"], commune: row["commune"], year: row["annee"], segment: row["segment"],
                            dwellings: row["logements"], source: row["source"]))
        }
        try diagnostics.throwIfErrors()
    }

    /// Imports rewrite the production file as CSV: a workbook named by `fichiers.production` (which the loader
    /// reads) is refused before anything is read or written, rather than replaced by a CSV under its name.
    static func refuseSpreadsheet(_ file: String, in folder: ProjectFolder) throws(BilanError) {
        guard SpreadsheetFormat(path: file) != nil else { return }
        throw BilanError(.input, at: SourceLocation(path: folder.display(file)),
                         "les imports réécrivent le fichier de production, qui doit donc être un fichier CSV, pas un classeur",
                         hint: "enregistrez la feuille en CSV (par exemple production.csv), indiquez-le dans fichiers.production de plh.yaml, puis relancez l'import")
    }

    /// Drops the rows of `source`, adds `new`; returns how many were removed.
    mutating func replace(source: String, with new: [Row]) -> Int {
        let before = rows.count
        rows.removeAll { $0.source == source }
        let removed = before - rows.count
        rows += new
        return removed
    }

    /// UTF-8, `;`, rows sorted by commune, year, segment and source, so that the same imports give the same file.
    var text: String {
        let sorted = rows.sorted { a, b in (a.code, a.year, a.segment, a.source) < (b.code, b.year, b.segment, b.source) }
        var out = Self.columns.joined(separator: ";") + "\n"
        for r in sorted {
            out += [r.code, r.commune, r.year, r.segment, r.dwellings, r.source].map(csvField).joined(separator: ";") + "\n"
        }
        return out
    }
}

/// What an import did, for the command to tell.
public struct ImportReport: Sendable {
    /// The record written to `sources.csv`.
    public var source: SourceRecord
    /// Production rows written for this file.
    public var added: Int
    /// Production rows of an earlier import of the same file, replaced.
    public var replaced: Int
    /// Dwellings kept, by segment code, in the order of plh.yaml.
    public var dwellingsBySegment: [(segment: String, dwellings: Int)]
    /// What the officer should know: merged and unknown codes, communes outside the EPCI, odd rows.
    public var notes: [Diagnostic]
    /// The summary, in French, one line each.
    public var summary: [String]
}

/// Writes an import's rows into the project: production file first, then the permits it counted (`permis.csv`),
/// then its record in `sources.csv`, each file atomically, all of them checked before any is written.
///
/// Refused, with nothing written: a file whose content another import recorded already (`refuseKnownContent`);
/// without `replacing`, a re-import that would replace rows counted at another stage, or replace rows with none.
struct ProjectUpdate {
    let folder: ProjectFolder
    let loaded: LoadedProject
    /// The file being imported, as named on the command line, for messages.
    let input: String
    /// The user asked for rows of another stage, or all rows, to be replaced (`--replace`).
    var replacing = false

    /// The option that allows what `commit` refuses by default.
    static let replaceOption = "--replace"

    init(folder: ProjectFolder, loaded: LoadedProject, input: String, replacing: Bool = false) {
        self.folder = folder
        self.loaded = loaded
        self.input = input
        self.replacing = replacing
    }

    /// Refuses bytes that `sources.csv` records under another identifier: the same file re-saved or downloaded
    /// again under another name would count its dwellings twice. The same name is the re-import that replaces.
    func refuseKnownContent(_ sha256: String, identifier: String) throws(BilanError) {
        guard let earlier = loaded.project.sources.first(where: { $0.sha256 == sha256 && $0.identifier != identifier }) else { return }
        throw BilanError(.input, at: SourceLocation(path: input),
                         "« \(identifier) » a le même contenu (empreinte SHA-256) que « \(earlier.file) », importé le \(French.date(earlier.importDate)) : ses logements seraient comptés deux fois",
                         hint: "pour remplacer cet import, réimportez le fichier sous son nom « \(earlier.identifier) » ; sinon, rien à faire : il est déjà compté")
    }

    /// Writes `rows` and `record` (and, for Sitadel, `permits`, the ledger entries of this import); returns how many
    /// production rows were written and replaced, and warnings about permits another source no longer counts.
    func commit(_ rows: [ProductionFile.Row], record: SourceRecord,
                permits: [CountedPermits.Entry] = []) throws(BilanError) -> (added: Int, replaced: Int, notes: [Diagnostic]) {
        var production = try ProductionFile(folder: folder, file: loaded.productionFile, encoding: loaded.encoding)
        let replaced = production.replace(source: record.identifier, with: rows)
        let previous = loaded.project.sources.first { $0.identifier == record.identifier }
        if replaced > 0 && !replacing {
            let lines = French.count(replaced, "ligne", "lignes")
            let when = previous.map { " le \(French.date($0.importDate))" } ?? ""
            if let previous, let before = previous.stage, let now = record.stage, before != now {
                throw BilanError(.input, at: SourceLocation(path: input),
                                 "« \(record.identifier) » a été importé\(when) au stade « \(before.code) » (\(before.dwellings)) : le réimporter au stade « \(now.code) » (\(now.dwellings)) remplacerait ses \(lines) de \(loaded.productionFile)",
                                 hint: "ajoutez \(Self.replaceOption) pour remplacer ces lignes, ou réimportez-le au stade de l'import précédent (--stage \(before.code))")
            }
            if rows.isEmpty {
                throw BilanError(.input, at: SourceLocation(path: input),
                                 "réimporter « \(record.identifier) » ne donne aucune ligne de production : les \(lines) de son import précédent\(when) seraient supprimées de \(loaded.productionFile)",
                                 hint: "vérifiez le fichier et le stade ; ajoutez \(Self.replaceOption) pour supprimer ces lignes")
            }
        }
        var sources = loaded.project.sources
        if let i = sources.firstIndex(where: { $0.identifier == record.identifier }) {
            sources[i] = record
        } else {
            sources.append(record)
        }
        let ledgerFile = CountedPermits.file(besides: loaded.sourcesFile)
        var ledger = try CountedPermits(folder: folder, file: ledgerFile, encoding: loaded.encoding)
        let writesLedger = ledger.exists || !permits.isEmpty
        ledger.replace(source: record.identifier, with: permits)
        // Both files in the project's declared encoding (UTF-8 unless plh.yaml says windows-1252), both checked
        // before either is written.
        func bytes(_ text: String, _ file: String) throws(BilanError) -> [UInt8] {
            guard loaded.encoding == .windows1252 else { return Array(text.utf8) }
            guard let bytes = CSVDocument.windows1252Bytes(text) else {
                throw BilanError(.input, at: SourceLocation(path: folder.display(file)),
                                 "un nom ne s'écrit pas en Windows-1252, l'encodage déclaré par fichiers.encodage",
                                 hint: "déclarez encodage: utf-8 dans plh.yaml")
            }
            return bytes
        }
        let productionBytes = try bytes(production.text, loaded.productionFile)
        let ledgerBytes = writesLedger ? try bytes(ledger.text, ledgerFile) : nil
        let sourcesBytes = try bytes(SourcesFile.text(sources), loaded.sourcesFile)
        let writer = OutputWriter()
        try writer.writeFile(productionBytes, to: try folder.resolve(loaded.productionFile, referencedAt: nil),
                             display: folder.display(loaded.productionFile))
        if let ledgerBytes {
            try writer.writeFile(ledgerBytes, to: try folder.resolve(ledgerFile, referencedAt: nil), display: folder.display(ledgerFile))
        }
        try writer.writeFile(sourcesBytes, to: try folder.resolve(loaded.sourcesFile, referencedAt: nil),
                             display: folder.display(loaded.sourcesFile))
        return (rows.count, replaced, orphans(ledger, file: ledgerFile, recorded: Set(sources.map(\.identifier))))
    }

    /// Permits a source left to another that no longer counts them: that source should be re-imported.
    func orphans(_ ledger: CountedPermits, file: String, recorded: Set<String>) -> [Diagnostic] {
        var notes = Diagnostics()
        for o in ledger.orphans(recorded: recorded) {
            let (n, many) = (o.permits, o.permits > 1)
            notes.warning(at: SourceLocation(path: folder.display(file)),
                          "\(French.count(n, "permis", "permis")) que « \(o.source) » n'a pas compté\(many ? "s" : "") parce que « \(o.countedBy) » \(many ? "les" : "le") comptait \(many ? "ne sont" : "n'est") plus compté\(many ? "s" : "")",
                          hint: "réimportez « \(o.source) » pour \(many ? "les" : "le") compter")
        }
        return notes.sorted
    }
}

/// Where `segments:` starts in plh.yaml, for errors about the segments' import keys.
func segmentsLocation(_ folder: ProjectFolder) -> SourceLocation {
    let path = folder.display(ProjectLoader.planFileName)
    guard let bytes = try? folder.read(ProjectLoader.planFileName, referencedAt: nil) else { return SourceLocation(path: path) }
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let line = lines.firstIndex { $0.hasPrefix("segments:") }.map { $0 + 1 }
    return SourceLocation(path: path, line: line, column: line == nil ? nil : 1)
}

/// The year of `2017-03-15`, `15/03/2017`, `2017-03` or `2017-03-15 00:00:00`; nil when it is none of them.
func yearOfDate(_ text: String) -> Int? {
    let text = text.split(separator: " ").first.map(String.init) ?? text
    if let date = CalendarDate(parsing: text) { return date.year }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    if parts.count == 2, parts[0].count == 4, parts[1].count <= 2, let y = Int(parts[0]), let m = Int(parts[1]),
       (1...12).contains(m), parts.allSatisfy({ $0.allSatisfy(\.isPlainDigit) }) {
        return y
    }
    return nil
}

/// `1 234` (with a thin or ordinary space) or empty (nought); nil when it is not a whole number.
func dwellingCount(_ raw: String) -> Int? {
    let digits = raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
    if digits.isEmpty { return 0 }
    // Bounded like every count PLH Bilan reads, so that no sum of permits can overflow.
    guard digits.allSatisfy(\.isPlainDigit), let value = Int(digits), value <= Limits.dwellings else { return nil }
    return value
}

extension Character {
    var isPlainDigit: Bool { ("0"..."9").contains(self) }
}
