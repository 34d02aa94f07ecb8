import Foundation
import PLHBase
import PLHModel

/// The project folder on disk: reads files by their path relative to it, and refuses any path that leaves it.
public struct ProjectFolder: Sendable {
    /// The folder as the user named it, used as the prefix of paths in messages.
    public let displayPath: String
    public let url: URL

    public init(_ path: String) {
        self.init(path, displayPath: path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path)
    }

    /// A folder shown under another name in messages (tests, batch runs).
    public init(_ path: String, displayPath: String) {
        self.displayPath = displayPath
        self.url = URL(fileURLWithPath: path).standardizedFileURL
    }

    /// The path shown in messages for a file of the project.
    public func display(_ relative: String) -> String {
        displayPath == "." ? relative : "\(displayPath)/\(relative)"
    }

    /// The URL of `relative`, or an error when it is absolute, climbs out with `..`, or is a link leading out.
    public func resolve(_ relative: String, referencedAt location: SourceLocation?) throws(BilanError) -> URL {
        if relative.hasPrefix("/") || relative.hasPrefix("~") || relative.contains("\\") {
            throw BilanError(.input, at: location, "chemin « \(relative) » refusé : il doit être relatif au dossier du projet",
                             hint: "écrivez par exemple recits/bilan-global.md")
        }
        let parts = relative.split(separator: "/")
        if parts.contains("..") {
            throw BilanError(.input, at: location, "chemin « \(relative) » refusé : « .. » sortirait du dossier du projet",
                             hint: "placez le fichier dans le dossier du projet")
        }
        let target = url.appendingPathComponent(relative)
        let real = resolvedPath(target.path)
        let root = resolvedPath(url.path)
        if real != root && !real.hasPrefix(root + "/") {
            throw BilanError(.input, at: location, "chemin « \(relative) » refusé : c'est un lien vers un fichier hors du dossier du projet",
                             hint: "copiez le fichier dans le dossier du projet au lieu d'un lien")
        }
        return target
    }

    /// Whether a file or folder exists at `relative` (a refused path counts as absent).
    public func exists(_ relative: String) -> Bool {
        guard let url = try? resolve(relative, referencedAt: nil) else { return false }
        return FileManager.default.fileExists(atPath: url.path)
    }

    /// The bytes of `relative`; a missing or unreadable file is a located error.
    public func read(_ relative: String, referencedAt location: SourceLocation?) throws(BilanError) -> [UInt8] {
        try Self.readFile(atPath: try resolve(relative, referencedAt: location).path, display: display(relative), referencedAt: location)
    }

    /// The bytes of `relative`, mapped when it is large (`FileBytes`); nil when it cannot be read, for a reader that
    /// leaves every error message to another.
    public func mapped(_ relative: String) -> FileBytes? {
        guard let url = try? resolve(relative, referencedAt: nil) else { return nil }
        return FileBytes.read(atPath: url.path)
    }

    /// The bytes of the file at `path` (named `display` in messages); a missing file is an error that suggests
    /// the nearest names of its folder, a folder or an unreadable file another.
    public static func readFile(atPath path: String, display: String, referencedAt location: SourceLocation? = nil) throws(BilanError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let url = URL(fileURLWithPath: path)
            let siblings = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
            let close = nearest(url.lastPathComponent, among: siblings)
            throw BilanError(.input, at: location ?? SourceLocation(path: display), "fichier « \(display) » introuvable",
                             hint: close.isEmpty ? "vérifiez le nom du fichier et son dossier" : "vouliez-vous dire \(frenchList(close)) ?")
        }
        guard !isDirectory.boolValue, let bytes = contents(atPath: path) else {
            throw BilanError(.input, at: location ?? SourceLocation(path: display), "« \(display) » n'est pas un fichier lisible")
        }
        return bytes
    }

    /// A file's bytes, read straight into an array (an observatory reads tens of megabytes).
    public static func contents(atPath path: String) -> [UInt8]? {
        FileBytes.contents(atPath: path)
    }

    /// Reads a text file: UTF-8 (a BOM is dropped) or Windows-1252, detected unless `encoding` is given.
    public func readText(_ relative: String, referencedAt location: SourceLocation?,
                         encoding: TextEncoding? = nil) throws(BilanError) -> String {
        let bytes = try read(relative, referencedAt: location)
        return try CSVDocument.decode(bytes, path: display(relative), declared: encoding).0
    }
}
