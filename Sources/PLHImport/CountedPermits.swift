import Foundation
import PLHLoad
import PLHBase
import PLHModel

/// `permis.csv`, beside `sources.csv`: the Sitadel permit numbers (`NUM_DAU`) each import counted, and those it
/// left to the import that had counted them already, so that a permit in two of SDES's overlapping period files
/// is counted once, however many runs later the second file comes.
///
/// One row per permit and source: `source;num_dau;type_dau;deja_compte_par`, the last column empty when the
/// source counted the permit, the identifier of the source that counts it otherwise. Only sources still in
/// `sources.csv` count: the file is written before `sources.csv`, which stays the record of what was imported.
struct CountedPermits {
    struct Entry: Hashable {
        var source: String
        var number: String
        /// `TYPE_DAU` (PC, PA, DP), empty when the file has no such column.
        var type: String
        /// The source that counts this permit when it is not `source`; empty when `source` counts it.
        var countedBy: String
    }

    static let fileName = "permis.csv"
    static let columns = ["source", "num_dau", "type_dau", "deja_compte_par"]

    /// The ledger's path in the project: in the folder of `sources.csv`.
    static func file(besides sourcesFile: String) -> String {
        let folder = (sourcesFile as NSString).deletingLastPathComponent
        return folder.isEmpty ? fileName : folder + "/" + fileName
    }

    var entries: [Entry] = []
    /// Whether the file exists in the project.
    private(set) var exists = false

    /// Reads the ledger if the project has one; a damaged one is an error naming its line.
    init(folder: ProjectFolder, file: String, encoding: TextEncoding?) throws(BilanError) {
        guard folder.exists(file) else { return }
        exists = true
        let path = folder.display(file)
        let document = try CSVDocument(bytes: try folder.read(file, referencedAt: nil), path: path, encoding: encoding)
        guard let first = document.records.first else { return }
        let table = try header(first, path: path, delimiter: document.delimiter, required: ["source", "num_dau"],
                               optional: ["type_dau", "deja_compte_par"])
        var diagnostics = Diagnostics()
        for record in document.records.dropFirst() {
            guard let row = table.row(record, diagnostics: &diagnostics) else { continue }
            guard !row["source"].isEmpty, !row["num_dau"].isEmpty else {
                diagnostics.error(at: row.location(row["source"].isEmpty ? "source" : "num_dau"),
                                  row["source"].isEmpty ? "source manquante" : "numéro de permis manquant",
                                  hint: "ce fichier est écrit par plh-bilan import sitadel : réimportez le fichier Sitadel concerné")
                continue
            }
            entries.append(Entry(source: row["source"], number: row["num_dau"], type: row["type_dau"], countedBy: row["deja_compte_par"]))
        }
        try diagnostics.throwIfErrors()
    }

    /// The permits counted by the sources in `recorded` other than `excluded`: by number, their type and source.
    func counted(by recorded: Set<String>, excluding excluded: String) -> PermitIndex {
        var index = PermitIndex()
        for e in entries where e.countedBy.isEmpty && e.source != excluded && recorded.contains(e.source) {
            index.add(number: e.number, type: e.type, source: e.source)
        }
        return index
    }

    /// Drops the rows of `source`, adds `new`.
    mutating func replace(source: String, with new: [Entry]) {
        entries.removeAll { $0.source == source }
        entries += new
    }

    /// Permits a recorded source left to another, which no source counts any longer (that source was re-imported
    /// without them, or removed): by source that should be re-imported, how many, and the source it had left them to.
    func orphans(recorded: Set<String>) -> [(source: String, countedBy: String, permits: Int)] {
        let index = counted(by: recorded, excluding: "")
        var found: [String: [String: Int]] = [:]
        for e in entries where !e.countedBy.isEmpty && recorded.contains(e.source) {
            if index.source(number: e.number, type: e.type) == nil {
                found[e.source, default: [:]][e.countedBy, default: 0] += 1
            }
        }
        return found.sorted { $0.key < $1.key }.flatMap { source, by in
            by.sorted { $0.key < $1.key }.map { (source, $0.key, $0.value) }
        }
    }

    /// UTF-8 (or the project's encoding, by the caller), `;`, sorted by source, number and type.
    var text: String {
        let sorted = entries.sorted { a, b in (a.source, a.number, a.type) < (b.source, b.number, b.type) }
        var out = Self.columns.joined(separator: ";") + "\n"
        for e in sorted {
            out += [e.source, e.number, e.type, e.countedBy].map(csvField).joined(separator: ";") + "\n"
        }
        return out
    }
}

/// Permit numbers and the source counting each. Two rows name the same permit when their numbers are equal and
/// their types are equal or one of them is unknown (a vintage without `TYPE_DAU`).
struct PermitIndex {
    private var byNumber: [String: [(type: String, source: String)]] = [:]

    mutating func add(number: String, type: String, source: String) {
        byNumber[number, default: []].append((type, source))
    }

    func source(number: String, type: String) -> String? {
        byNumber[number]?.first { $0.type == type || $0.type.isEmpty || type.isEmpty }?.source
    }
}
