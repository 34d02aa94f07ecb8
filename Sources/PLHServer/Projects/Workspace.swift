import Foundation
import PLHBilan

/// Where projects live and the one way they change: every save makes a new version, checked by the engine.
///
/// Layout: `projets/<id>/<n>/` is version n, a complete CLI project folder, never changed once written (files equal
/// to the previous version's are hard links to them). A save copies the current version into a staging folder,
/// lets the caller change it, loads it with the engine and, only when it loads, renames it `<n+1>` and records
/// the version; a save made on a version someone else has replaced since is refused with what changed.
actor ProjectWorkspace {
    let root: URL
    let store: any Store

    init(root: URL, store: any Store) {
        self.root = root
        self.store = store
    }

    /// The folder of the project's current version.
    nonisolated func folder(_ record: ProjectRecord) -> URL {
        folder(record.id, version: record.version)
    }

    nonisolated func folder(_ id: String, version: Int) -> URL {
        root.appendingPathComponent(id).appendingPathComponent(String(version))
    }

    /// What a save came to.
    enum SaveOutcome {
        /// Saved: the project at its new version, and the engine's warnings on it.
        case saved(ProjectRecord, warnings: [Diagnostic])
        /// Refused: the versions saved by others since the one the form was made on, newest first.
        case stale(current: ProjectRecord, since: [ProjectVersion])
        /// Refused: the changed project does not load; the engine's errors, located in its files.
        case invalid(BilanError)
        /// Nothing to save: the files are those of the current version.
        case unchanged(ProjectRecord)
    }

    /// Creates a project: `make` writes its files into an empty folder, which becomes version 1 once it loads.
    func create(_ record: ProjectRecord, user: User, summary: String,
                make: @Sendable (URL) throws -> Void) async throws -> SaveOutcome {
        let staging = try stagingFolder(record.id)
        defer { try? FileManager.default.removeItem(at: staging) }
        try make(staging)
        let warnings: [Diagnostic]
        switch Self.check(staging) {
        case .success(let found): warnings = found
        case .failure(let error): return .invalid(error)
        }
        let target = folder(record.id, version: 1)
        try FileManager.default.moveItem(at: staging, to: target)
        var created = record
        created.version = 1
        try await store.insertProject(created, firstVersion: ProjectVersion(
            projectID: record.id, number: 1, userID: user.id, created: Date(), summary: summary, files: Self.files(in: target)))
        return .saved(created, warnings: warnings)
    }

    /// Saves a change made on version `base`: `edit` changes a copy of the current files (throwing a `BilanError`
    /// refuses the save with it); the copy becomes the next version when the engine loads it.
    func save(_ record: ProjectRecord, base: Int, user: User, summary: String,
              edit: @Sendable (URL) throws -> Void) async throws -> SaveOutcome {
        guard let current = try await store.project(record.id, visibleTo: Perimeter(organisationIDs: nil)) else {
            throw WebError.notFound
        }
        if current.version != base {
            return .stale(current: current, since: try await store.versions(projectID: record.id).filter { $0.number > base })
        }
        let currentFolder = folder(current)
        let staging = try stagingFolder(record.id)
        defer { try? FileManager.default.removeItem(at: staging) }
        try FileManager.default.removeItem(at: staging)
        try FileManager.default.copyItem(at: currentFolder, to: staging)
        do { try edit(staging) } catch let error as BilanError { return .invalid(error) }
        let changed = Self.changedFiles(from: currentFolder, to: staging)
        if changed.isEmpty { return .unchanged(current) }
        let warnings: [Diagnostic]
        switch Self.check(staging) {
        case .success(let found): warnings = found
        case .failure(let error): return .invalid(error)
        }
        let number = current.version + 1
        let target = folder(record.id, version: number)
        // A folder of that number not in the database is what a crash left between rename and record: replaced.
        try? FileManager.default.removeItem(at: target)
        Self.linkUnchanged(in: staging, to: currentFolder)
        try FileManager.default.moveItem(at: staging, to: target)
        let version = ProjectVersion(projectID: record.id, number: number, userID: user.id, created: Date(), summary: summary,
                                     files: changed)
        guard try await store.insertVersion(version) else {
            try? FileManager.default.removeItem(at: target)
            let now = try await store.project(record.id, visibleTo: Perimeter(organisationIDs: nil)) ?? current
            return .stale(current: now, since: try await store.versions(projectID: record.id).filter { $0.number > base })
        }
        var saved = current
        saved.version = number
        return .saved(saved, warnings: warnings)
    }

    /// Makes version `number`'s files the next version (nothing is ever deleted: restoring is a save).
    func restore(_ record: ProjectRecord, number: Int, base: Int, user: User) async throws -> SaveOutcome {
        let source = folder(record.id, version: number)
        guard number >= 1, number <= record.version, FileManager.default.fileExists(atPath: source.path) else {
            throw WebError.notFound
        }
        return try await save(record, base: base, user: user, summary: "Retour à la version \(number)") { staging in
            for name in try FileManager.default.contentsOfDirectory(atPath: staging.path) {
                try FileManager.default.removeItem(at: staging.appendingPathComponent(name))
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: staging.appendingPathComponent(name))
            }
        }
    }

    /// The engine's verdict on a folder: its warnings when it loads, its errors otherwise.
    static func check(_ folder: URL) -> Result<[Diagnostic], BilanError> {
        do throws(BilanError) {
            return .success(try BilanEngine.load(folder).warnings)
        } catch {
            return .failure(error)
        }
    }

    /// An empty folder beside the versions, removed by the caller.
    private func stagingFolder(_ id: String) throws -> URL {
        let staging = root.appendingPathComponent(id).appendingPathComponent(".en-cours-" + Token.random(bytes: 6))
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// The regular files of a folder, relative to it, sorted.
    static func files(in folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let base = folder.standardizedFileURL.path + "/"
        var files: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            files.append(path.hasPrefix(base) ? String(path.dropFirst(base.count)) : url.lastPathComponent)
        }
        return files.sorted()
    }

    /// The files added, removed or changed between two folders.
    static func changedFiles(from old: URL, to new: URL) -> [String] {
        let before = files(in: old), after = files(in: new)
        return Set(before + after).sorted().filter { path in
            FileManager.default.contents(atPath: old.appendingPathComponent(path).path)
                != FileManager.default.contents(atPath: new.appendingPathComponent(path).path)
        }
    }

    /// Replaces each file of `folder` equal to the same file of `previous` by a hard link to it, so that versions
    /// cost only what they change; where linking fails the copy stays.
    static func linkUnchanged(in folder: URL, to previous: URL) {
        for path in files(in: folder) {
            let file = folder.appendingPathComponent(path), old = previous.appendingPathComponent(path)
            guard let bytes = FileManager.default.contents(atPath: file.path), bytes == FileManager.default.contents(atPath: old.path)
            else { continue }
            let link = file.deletingLastPathComponent().appendingPathComponent(".lien-" + file.lastPathComponent)
            do {
                try FileManager.default.linkItem(at: old, to: link)
                // rename(2) replaces the copy by the link in one step.
                guard rename(link.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? FileManager.default.removeItem(at: link)
            }
        }
    }
}
