import Foundation
import Logging
import SQLiteNIO
import ZIPFoundation

/// `plh-bilan backup`: one archive with a consistent copy of the database and of the project versions it records,
/// taken while the server runs.
///
/// SQLite's `VACUUM INTO` writes a snapshot of the database (one read transaction); version folders
/// (`projets/<id>/<n>/`) never change once written, so copying those the snapshot records gives the projects as
/// they were at that moment (staging folders `.en-cours-*` are never recorded). The archive is written beside its
/// destination and appears only once complete.
public enum Backup {
    /// What a backup wrote.
    public struct Report: Sendable, Equatable {
        public var projects: Int
        public var versions: Int
        public var files: Int
    }

    /// Why a backup was not written, in French.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var hint: String?
    }

    static let databaseName = "plh-bilan.sqlite"

    /// Writes the archive `destination` (a zip: `plh-bilan.sqlite` and `projets/<id>/<n>/…`) of the data folder;
    /// an existing file is replaced only when `replace` is true.
    public static func write(dataFolder: String, to destination: String, replace: Bool) async throws -> Report {
        let folder = URL(fileURLWithPath: dataFolder)
        let database = folder.appendingPathComponent(databaseName)
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw Failure(description: "\(dataFolder) : aucune base \(databaseName) dans ce dossier de données",
                          hint: "indiquez le dossier donné à plh-bilan serve --data")
        }
        let target = URL(fileURLWithPath: destination)
        if !replace, FileManager.default.fileExists(atPath: target.path) {
            throw Failure(description: "\(destination) existe déjà : rien n'a été écrit", hint: "ajoutez --remplacer pour le remplacer")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("plh-sauvegarde-" + Token.random(bytes: 6))
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let snapshot = work.appendingPathComponent(databaseName)
        let versions = try await self.snapshot(database, into: snapshot)

        let partial = target.deletingLastPathComponent()
            .appendingPathComponent("." + target.lastPathComponent + ".en-cours-" + Token.random(bytes: 6))
        defer { try? FileManager.default.removeItem(at: partial) }
        let archive = try Archive(url: partial, accessMode: .create)
        try archive.addEntry(with: databaseName, fileURL: snapshot, compressionMethod: .deflate)
        var files = 0
        let projects = folder.appendingPathComponent("projets")
        for (project, number) in versions {
            let version = projects.appendingPathComponent(project).appendingPathComponent(String(number))
            for path in ProjectWorkspace.files(in: version) {
                try archive.addEntry(with: "projets/\(project)/\(number)/\(path)", fileURL: version.appendingPathComponent(path),
                                     compressionMethod: .deflate)
                files += 1
            }
        }
        // Only a complete archive takes the name: a link refuses an existing file, a rename replaces it in one step.
        if replace {
            guard rename(partial.path, target.path) == 0 else {
                throw Failure(description: "\(destination) : l'archive n'a pas pu être écrite (\(String(cString: strerror(errno))))")
            }
        } else {
            guard link(partial.path, target.path) == 0 else {
                throw Failure(description: "\(destination) : l'archive n'a pas pu être écrite (\(String(cString: strerror(errno))))",
                              hint: errno == EEXIST ? "ajoutez --remplacer pour le remplacer" : nil)
            }
        }
        return Report(projects: Set(versions.map(\.0)).count, versions: versions.count, files: files)
    }

    /// Writes a consistent copy of the live database to `copy` and returns the versions it records.
    static func snapshot(_ database: URL, into copy: URL) async throws -> [(String, Int)] {
        var logger = Logger(label: "plh-bilan.sauvegarde")
        logger.logLevel = .warning
        let live = try await SQLiteConnection.open(storage: .file(path: database.path), logger: logger)
        do {
            // The server may be writing: wait for its transaction rather than fail.
            _ = try await live.query("PRAGMA busy_timeout = 10000")
            _ = try await live.query("VACUUM INTO '" + copy.path.replacingOccurrences(of: "'", with: "''") + "'")
            try await live.close()
        } catch {
            try? await live.close()
            throw error
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: copy.path), logger: logger)
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query("SELECT project_id, number FROM project_versions ORDER BY project_id, number")
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        let versions = rows.compactMap { row -> (String, Int)? in
            guard let id = row.column("project_id")?.string, let number = row.column("number")?.integer,
                  !id.contains("/"), !id.hasPrefix(".") else { return nil }
            return (id, number)
        }
        return versions
    }
}
