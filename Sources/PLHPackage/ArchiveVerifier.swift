import Foundation
import PLHBase
import PLHModel
import PLHRender
import ZIPFoundation

/// Checks a submission archive against its manifest, in memory: nothing is written to disk, so a hostile
/// archive (paths with `..`, absolute paths, links, huge declared sizes) can do no harm.
///
/// A zip bomb cannot exhaust it either: entries are never held, only streamed through SHA-256; only the
/// entries the manifest lists are read; sizes are capped per entry and in total, from the central
/// directory's declared sizes first, then while reading, since declared sizes can lie.
public struct ArchiveVerifier {
    /// What was found wrong; empty when every file matches the manifest.
    public struct Report: Sendable {
        public var problems: [String]
        public var checkedFiles: Int
        public var isValid: Bool { problems.isEmpty }
    }

    /// Largest archive file read, in bytes.
    public var archiveLimit = 2 << 30
    /// Largest single entry, uncompressed, in bytes.
    public var fileLimit = 512 << 20
    /// Largest total of the entries read, uncompressed, in bytes.
    public var totalLimit = 1 << 30
    /// Largest manifest, in bytes: it is the one entry held in memory.
    public var manifestLimit = 16 << 20

    public init() {}

    /// Reads and checks the archive at `path`; an unreadable file is an input error, a mismatch is a report.
    public func verify(_ path: String) throws(BilanError) -> Report {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int else {
            throw BilanError(.input, at: SourceLocation(path: path), "archive introuvable ou illisible")
        }
        guard size <= archiveLimit else {
            throw BilanError(.input, at: SourceLocation(path: path), "archive trop grande (\(French.count(size, "octet")))")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BilanError(.input, at: SourceLocation(path: path), "archive illisible")
        }
        return verify(data: data)
    }

    public func verify(data: Data) -> Report {
        let report = check(data)
        // Entry names come from the archive: no control character reaches the terminal.
        return Report(problems: report.problems.map(\.withoutControlCharacters), checkedFiles: report.checkedFiles)
    }

    private func check(_ data: Data) -> Report {
        var problems: [String] = []
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            return Report(problems: ["ce n'est pas une archive ZIP lisible"], checkedFiles: 0)
        }
        // The central directory only: names, kinds and declared sizes, nothing inflated yet.
        var entries: [String: Entry] = [:]
        for entry in archive {
            let name = entry.path
            if let unsafe = Self.unsafeReason(name) {
                problems.append("entrée « \(name) » refusée : \(unsafe)")
                continue
            }
            switch entry.type {
            case .directory: continue
            case .symlink:
                problems.append("entrée « \(name) » refusée : c'est un lien symbolique")
                continue
            case .file: break
            }
            if entries[name] != nil {
                problems.append("entrée « \(name) » présente deux fois")
                continue
            }
            if entry.uncompressedSize > UInt64(fileLimit) {
                problems.append("entrée « \(name) » refusée : taille annoncée de \(French.count(Int(clamping: entry.uncompressedSize), "octet")), au-delà de la limite")
                continue
            }
            entries[name] = entry
        }

        guard let manifestEntry = entries[SubmissionPackage.manifestName] else {
            return Report(problems: problems + ["manifest.json absent : impossible de vérifier l'archive"], checkedFiles: 0)
        }
        var total = 0
        let manifestBytes: [UInt8]
        switch read(manifestEntry, in: archive, limit: min(fileLimit, manifestLimit), total: &total, keep: true) {
        case .success(let read): manifestBytes = read.bytes
        case .failure(let failure):
            return Report(problems: problems + [failure.message(SubmissionPackage.manifestName, self)], checkedFiles: 0)
        }
        let manifest: Manifest
        switch Self.manifest(manifestBytes) {
        case .success(let read): manifest = read
        case .failure(let reason): return Report(problems: problems + [reason.message], checkedFiles: 0)
        }

        // Entries the manifest does not list are never read.
        let listed = Set(manifest.files.map(\.path))
        for name in entries.keys.sorted() where name != SubmissionPackage.manifestName && !listed.contains(name) {
            problems.append("fichier en trop, absent du manifeste : \(name)")
        }
        // The declared total first: an archive announcing more than the limit is not inflated at all.
        let declared = manifest.files.reduce(0) { $0 + Int(clamping: entries[$1.path]?.uncompressedSize ?? 0) }
        if declared + total > totalLimit {
            return Report(problems: problems + [
                "archive refusée : ses fichiers annoncent \(Self.size(declared + total)) une fois décompressés, "
                    + "au-delà de la limite de \(Self.size(totalLimit))",
            ], checkedFiles: 0)
        }
        for file in manifest.files {
            guard let entry = entries[file.path] else {
                problems.append("fichier manquant : \(file.path)")
                continue
            }
            if entry.uncompressedSize != UInt64(clamping: file.size) {
                problems.append("fichier modifié : \(file.path) (\(French.count(Int(clamping: entry.uncompressedSize), "octet")) au lieu de \(French.integer(file.size)))")
                continue
            }
            switch read(entry, in: archive, limit: fileLimit, total: &total, keep: false) {
            case .success(let read):
                if read.count != file.size {
                    problems.append("fichier modifié : \(file.path) (\(French.count(read.count, "octet")) au lieu de \(French.integer(file.size)))")
                } else if read.sha256 != file.sha256 {
                    problems.append("fichier modifié : \(file.path) (empreinte SHA-256 différente)")
                }
            case .failure(.overTotal):
                return Report(problems: problems + [ReadFailure.overTotal.message(file.path, self)], checkedFiles: 0)
            case .failure(let failure):
                problems.append(failure.message(file.path, self))
            }
        }
        return Report(problems: problems, checkedFiles: manifest.files.count)
    }

    // MARK: Reading entries

    enum ReadFailure: Error {
        /// More bytes than the entry's declared size: the central directory lies.
        case overDeclared
        /// Larger than the limit for one entry.
        case overLimit(Int)
        case overTotal
        case unreadable

        func message(_ name: String, _ verifier: ArchiveVerifier) -> String {
            switch self {
            case .overDeclared:
                return "entrée « \(name) » refusée : elle se décompresse en plus d'octets que sa taille annoncée"
            case .overLimit(let limit):
                return "entrée « \(name) » refusée : plus de \(ArchiveVerifier.size(limit)) une fois décompressée"
            case .overTotal:
                return "archive refusée : une fois décompressés, ses fichiers dépassent la limite de \(ArchiveVerifier.size(verifier.totalLimit))"
            case .unreadable:
                return "entrée « \(name) » illisible ou altérée (contrôle CRC ou taille en échec)"
            }
        }
    }

    struct ReadEntry {
        var count: Int
        var sha256: String?
        /// The bytes, only when asked to keep them (the manifest).
        var bytes: [UInt8]
    }

    /// Streams an entry through SHA-256, stopping as soon as it exceeds its declared size, `limit` or the total.
    func read(_ entry: Entry, in archive: Archive, limit: Int, total: inout Int, keep: Bool) -> Result<ReadEntry, ReadFailure> {
        let declared = Int(clamping: entry.uncompressedSize)
        guard declared <= limit else { return .failure(.overLimit(limit)) }
        var count = 0
        var bytes: [UInt8] = []
        let hash = SHA256.Stream()
        var failure: ReadFailure?
        let totalBefore = total
        let totalLimit = self.totalLimit
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                count += chunk.count
                if count > declared { failure = .overDeclared; throw ReadFailure.overDeclared }
                if totalBefore + count > totalLimit { failure = .overTotal; throw ReadFailure.overTotal }
                chunk.withUnsafeBytes { hash.update($0) }
                if keep { bytes += chunk }
            }
        } catch {
            total = totalBefore + count
            return .failure(failure ?? .unreadable)
        }
        total = totalBefore + count
        return .success(ReadEntry(count: count, sha256: hash.finish(), bytes: bytes))
    }

    /// `1 073 741 824 octets`.
    static func size(_ bytes: Int) -> String {
        French.integer(bytes) + " octets"
    }

    // MARK: The manifest

    struct Manifest {
        var files: [(path: String, size: Int, sha256: String)]
    }

    struct ManifestProblem: Error {
        var message: String
    }

    /// The manifest's file list, once it is known to describe a bilan: `bilan.html` listed, the EPCI's
    /// name and SIREN, the generator's name and version (as `SubmissionPackage.manifestJSON` writes them).
    static func manifest(_ bytes: [UInt8]) -> Result<Manifest, ManifestProblem> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let files = manifestFiles(object) else {
            return .failure(ManifestProblem(message: "manifest.json illisible ou sans liste « fichiers »"))
        }
        func text(_ section: String, _ key: String) -> String? {
            guard let value = (object[section] as? [String: Any])?[key] as? String, !value.isEmpty else { return nil }
            return value
        }
        if files.isEmpty {
            return .failure(ManifestProblem(message: "manifest.json ne liste aucun fichier : rien à vérifier"))
        }
        if !files.contains(where: { $0.path == "bilan.html" }) {
            return .failure(ManifestProblem(message: "manifest.json ne liste pas bilan.html : ce n'est pas l'archive d'un bilan"))
        }
        if text("epci", "nom") == nil || text("epci", "siren") == nil {
            return .failure(ManifestProblem(message: "manifest.json sans l'identité de l'EPCI (« epci » : « nom » et « siren »)"))
        }
        if text("generateur", "nom") == nil || text("generateur", "version") == nil {
            return .failure(ManifestProblem(message: "manifest.json sans son générateur (« generateur » : « nom » et « version »)"))
        }
        return .success(Manifest(files: files))
    }

    /// Why an entry name is refused, if it is: absolute, climbing with `..`, Windows-style or empty.
    static func unsafeReason(_ name: String) -> String? {
        if name.isEmpty { return "nom vide" }
        if name.hasPrefix("/") || name.hasPrefix("~") { return "chemin absolu" }
        if name.contains("\\") || name.contains(":") { return "chemin Windows ou lecteur" }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }) {
            return "chemin qui remonte (« .. »)"
        }
        if name.containsControlCharacters || name.contains("\t") || name.contains("\n") { return "caractère de contrôle dans le nom" }
        return nil
    }

    static func manifestFiles(_ object: [String: Any]) -> [(path: String, size: Int, sha256: String)]? {
        guard let files = object["fichiers"] as? [[String: Any]] else { return nil }
        var result: [(String, Int, String)] = []
        for file in files {
            guard let path = file["chemin"] as? String, let size = file["octets"] as? Int,
                  let hash = file["sha256"] as? String else { return nil }
            result.append((path, size, hash))
        }
        return result
    }
}
