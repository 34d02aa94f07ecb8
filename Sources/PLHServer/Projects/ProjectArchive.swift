import Foundation
import ZIPFoundation

/// A project folder uploaded as a zip (what « Télécharger le dossier du projet » gives, or a folder the officer
/// zipped), read safely: no absolute path, no `..`, no link, bounded in entries and in bytes actually inflated.
enum ProjectArchive {
    static let maximumEntries = 5_000
    static let maximumBytes = 256 << 20

    /// Why an archive is refused, in French, for the form.
    struct Refusal: Error {
        var message: String
    }

    /// The files of the project, relative to its folder (the archive's single top folder removed, if any).
    struct Contents {
        var files: [(path: String, data: Data)]

        /// Writes the files under `folder`, which must not exist yet.
        func write(to folder: URL) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.data.write(to: url)
            }
        }
    }

    static func read(_ bytes: [UInt8]) throws -> Contents {
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw Refusal(message: "l'archive zip est illisible ou incomplète")
        }
        var files: [(String, Data)] = []
        var total = 0, count = 0
        for entry in archive {
            count += 1
            guard count <= maximumEntries else { throw Refusal(message: "l'archive contient plus de \(maximumEntries) fichiers") }
            let path = entry.path
            if path.hasPrefix("__MACOSX/") || path.hasSuffix("/.DS_Store") || path == ".DS_Store" { continue }
            switch entry.type {
            case .directory: continue
            case .symlink: throw Refusal(message: "l'archive contient un lien symbolique (« \(path) ») : seuls des fichiers sont acceptés")
            case .file: break
            }
            let components = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0"),
                  !components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
                throw Refusal(message: "l'archive contient un chemin refusé (« \(path) ») : chemins absolus et « .. » ne sont pas acceptés")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    total += chunk.count
                    guard total <= maximumBytes else { throw Refusal(message: "l'archive décompressée dépasse \(maximumBytes >> 20) Mo") }
                    data.append(chunk)
                }
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw Refusal(message: "le fichier « \(path) » de l'archive est illisible")
            }
            files.append((path, data))
        }
        // The project's folder inside the archive: the root, or a single top folder holding everything.
        let tops = Set(files.map { $0.0.split(separator: "/").count > 1 ? String($0.0.split(separator: "/")[0]) : "" })
        if tops.count == 1, let top = tops.first, !top.isEmpty {
            files = files.map { (String($0.0.dropFirst(top.count + 1)), $0.1) }
        }
        guard files.contains(where: { $0.0 == "plh.yaml" }) else {
            throw Refusal(message: "l'archive ne contient pas de plh.yaml à la racine du projet : compressez le dossier du projet lui-même")
        }
        return Contents(files: files.map { (path: $0.0, data: $0.1) })
    }
}
