import Foundation
import PLHBase
import PLHModel
import ZIPFoundation

/// Checks a submission archive against its manifest, in memory: nothing is written to disk, so a hostile
/// archive (paths with `..`, absolute paths, links, huge declared sizes) can do no harm.
public struct ArchiveVerifier {
    /// What was found wrong; empty when every file matches the manifest.
    public struct Report: Sendable {
        public var problems: [String]
        public var checkedFiles: Int
        public var isValid: Bool { problems.isEmpty }
    }

    /// Largest archive and largest single file read, in bytes.
    public var archiveLimit = 2 << 30
    public var fileLimit = 512 << 20

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
        var problems: [String] = []
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            return Report(problems: ["ce n'est pas une archive ZIP lisible"], checkedFiles: 0)
        }
        var contents: [String: [UInt8]] = [:]
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
            if contents[name] != nil {
                problems.append("entrée « \(name) » présente deux fois")
                continue
            }
            if entry.uncompressedSize > UInt64(fileLimit) {
                problems.append("entrée « \(name) » refusée : taille annoncée de \(French.count(Int(clamping: entry.uncompressedSize), "octet")), au-delà de la limite")
                continue
            }
            var bytes: [UInt8] = []
            let declared = Int(entry.uncompressedSize)
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard bytes.count + chunk.count <= declared else { throw Archive.ArchiveError.invalidEntrySize }
                    bytes += chunk
                }
                contents[name] = bytes
            } catch {
                problems.append("entrée « \(name) » illisible ou altérée (contrôle CRC ou taille en échec)")
            }
        }

        guard let manifestBytes = contents[SubmissionPackage.manifestName] else {
            return Report(problems: problems + ["manifest.json absent : impossible de vérifier l'archive"], checkedFiles: 0)
        }
        guard let listed = Self.manifestFiles(manifestBytes) else {
            return Report(problems: problems + ["manifest.json illisible ou sans liste « fichiers »"], checkedFiles: 0)
        }
        var seen: Set<String> = [SubmissionPackage.manifestName]
        for file in listed {
            seen.insert(file.path)
            guard let bytes = contents[file.path] else {
                problems.append("fichier manquant : \(file.path)")
                continue
            }
            if bytes.count != file.size {
                problems.append("fichier modifié : \(file.path) (\(French.count(bytes.count, "octet")) au lieu de \(French.integer(file.size)))")
            } else if SHA256.hex(bytes) != file.sha256 {
                problems.append("fichier modifié : \(file.path) (empreinte SHA-256 différente)")
            }
        }
        for name in contents.keys.sorted() where !seen.contains(name) {
            problems.append("fichier en trop, absent du manifeste : \(name)")
        }
        return Report(problems: problems, checkedFiles: listed.count)
    }

    /// Why an entry name is refused, if it is: absolute, climbing with `..`, Windows-style or empty.
    static func unsafeReason(_ name: String) -> String? {
        if name.isEmpty { return "nom vide" }
        if name.hasPrefix("/") || name.hasPrefix("~") { return "chemin absolu" }
        if name.contains("\\") || name.contains(":") { return "chemin Windows ou lecteur" }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }) {
            return "chemin qui remonte (« .. »)"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) { return "caractère de contrôle dans le nom" }
        return nil
    }

    static func manifestFiles(_ bytes: [UInt8]) -> [(path: String, size: Int, sha256: String)]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let files = object["fichiers"] as? [[String: Any]] else { return nil }
        var result: [(String, Int, String)] = []
        for file in files {
            guard let path = file["chemin"] as? String, let size = file["octets"] as? Int,
                  let hash = file["sha256"] as? String else { return nil }
            result.append((path, size, hash))
        }
        return result
    }
}
