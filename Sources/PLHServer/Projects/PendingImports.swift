import Foundation
import PLHBilan

/// Imports uploaded but not yet applied: the officer reads the import's summary first, then applies or cancels it.
///
/// Each lives in `imports/<token>/` of the data folder: the uploaded files under safe names and `import.json`
/// (who, which project, on which version, what kind). It is removed when applied or cancelled, and after two hours.
struct PendingImports: Sendable {
    /// What is being imported.
    enum Kind: String, Codable, Sendable {
        case sitadel, agrements

        var label: String {
            switch self {
            case .sitadel: "permis Sitadel"
            case .agrements: "agréments de logements sociaux"
            }
        }
    }

    struct Entry: Codable, Sendable {
        var token: String
        var kind: Kind
        var projectID: String
        var userID: Int
        /// The version the summary was computed on: applying on another version is refused as stale.
        var version: Int
        /// The data file under its safe name (the importer records that name in `sources.csv`).
        var file: String
        /// The approvals' column mapping (`agrements` only), under its safe name.
        var mapping: String?
        /// The Sitadel stage chosen (`autorises`, `commences`, `acheves`), nil for the bilan's own.
        var stage: String?
        /// The name the browser sent, for the page.
        var uploadedName: String
        var created: Date
    }

    static let lifetime: TimeInterval = 2 * 3600

    let root: URL

    func folder(_ token: String) -> URL { root.appendingPathComponent(token) }

    /// Stores the files of a new pending import; returns its entry.
    func stage(kind: Kind, project: ProjectRecord, user: User, data: UploadedFile, mapping: UploadedFile?,
               stage: String?) throws -> Entry {
        removeExpired()
        let token = Token.random(bytes: 16)
        let folder = folder(token)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dataName = data.safeName
        var mappingName = mapping?.safeName
        if mappingName == dataName { mappingName = "correspondance-" + (mappingName ?? "") }
        try Data(data.bytes).write(to: folder.appendingPathComponent(dataName))
        if let mapping, let mappingName { try Data(mapping.bytes).write(to: folder.appendingPathComponent(mappingName)) }
        let entry = Entry(token: token, kind: kind, projectID: project.id, userID: user.id, version: project.version, file: dataName,
                          mapping: mappingName, stage: stage, uploadedName: data.name, created: Date())
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        try encoder.encode(entry).write(to: folder.appendingPathComponent("import.json"))
        return entry
    }

    /// The pending import of this token, for this user and project; nil when unknown, expired or someone else's.
    func entry(_ token: String, project: ProjectRecord, user: User) -> Entry? {
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let data = FileManager.default.contents(atPath: folder(token).appendingPathComponent("import.json").path),
              let entry = try? decoder.decode(Entry.self, from: data),
              entry.projectID == project.id, entry.userID == user.id,
              Date().timeIntervalSince(entry.created) < Self.lifetime else { return nil }
        return entry
    }

    func remove(_ token: String) {
        try? FileManager.default.removeItem(at: folder(token))
    }

    /// Removes the pending imports older than their lifetime.
    func removeExpired() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for name in names {
            let url = root.appendingPathComponent(name)
            let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
            if Date().timeIntervalSince(modified) > Self.lifetime { try? FileManager.default.removeItem(at: url) }
        }
    }

    /// Runs the import on a project folder (a staging copy): the library's importers, as `plh-bilan import` does.
    static func run(_ entry: Entry, folder: URL, files: URL, settings: RunSettings) throws(BilanError) -> ImportReport {
        let data = files.appendingPathComponent(entry.file).path
        switch entry.kind {
        case .sitadel:
            var importer = SitadelImporter(projectFolder: folder.path)
            importer.settings = settings
            return try importer.run(file: data, stage: entry.stage.flatMap(CountingStage.init(code:)))
        case .agrements:
            var importer = ApprovalImporter(projectFolder: folder.path)
            importer.settings = settings
            return try importer.run(file: data, mapping: files.appendingPathComponent(entry.mapping ?? "").path)
        }
    }
}
