import Foundation
import PLHModel

/// Writes a bilan's folder so that readers only ever see a complete old one or a complete new one.
///
/// Files go to a temporary folder beside the destination, which then replaces it; on any failure the
/// temporary folder is removed and the previous output stays in place.
public struct OutputWriter {
    public init() {}

    public func write(_ files: [(path: String, bytes: [UInt8])], to destination: URL, display: String) throws(BilanError) {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(name).tmp-\(token)")
        let retired = parent.appendingPathComponent(".\(name).old-\(token)")
        func fail(_ what: String, _ error: Error) -> BilanError {
            try? fm.removeItem(at: staging)
            return BilanError(.output, at: SourceLocation(path: display), "\(what) : \(error.localizedDescription)",
                              hint: "vérifiez que le dossier de sortie est accessible en écriture et que le disque n'est pas plein")
        }
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for file in files.sorted(by: { $0.path < $1.path }) {
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
        } catch {
            throw fail("écriture impossible", error)
        }
        do {
            if fm.fileExists(atPath: destination.path) {
                try fm.moveItem(at: destination, to: retired)
            }
            try fm.moveItem(at: staging, to: destination)
            try? fm.removeItem(at: retired)
        } catch {
            if !fm.fileExists(atPath: destination.path), fm.fileExists(atPath: retired.path) {
                try? fm.moveItem(at: retired, to: destination)
            }
            throw fail("remplacement du dossier impossible", error)
        }
    }
}
