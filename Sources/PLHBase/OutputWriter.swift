import CAtomicSwap
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Foundation
import PLHModel

/// Writes a bilan's folder so that readers only ever see a complete old one or a complete new one.
///
/// Files go to a temporary folder beside the destination, which then takes its place in one atomic
/// exchange (where the system allows it; two renames otherwise). On any failure the temporary folder is
/// removed and the previous output stays in place. Leftovers of an interrupted run (`.NAME.tmp-PID-*`)
/// are removed by the next one, but only when stale: their process is gone, or they are over an hour old.
/// A writer running at the same time, in this process or another, keeps its own (issue 11, defect 14:
/// each of two concurrent renders removed the other's folder as a leftover).
public struct OutputWriter: Sendable {
    public init() {}

    /// Whether each write first removes what an interrupted run left beside its destination; a batch,
    /// which writes thousands of folders side by side, cleans once for all instead.
    public var removesLeftovers = true

    /// Whether `writeFile` flushes each file to the disk before it takes its name (a user's production.csv
    /// rewritten by an import, a single archive); a batch, which writes a thousand archives it can rebuild, does without.
    public var syncsEachFile = true

    /// For tests: a write whose shown path this accepts fails as on a full disk, once its files are half-written.
    @_spi(Testing) public var simulatedFullDisk: (@Sendable (String) -> Bool)?

    public func write(_ files: [(path: String, bytes: [UInt8])], to destination: URL, display: String) throws(BilanError) {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        let prefix = ".\(name).tmp-"
        // The folder the user sees as the parent of the destination, for messages.
        let shownParent = display.lastIndex(of: "/").map { $0 == display.startIndex ? "/" : String(display[..<$0]) } ?? "."
        func fail(_ what: String, _ error: Error, path: String, staging: String?) -> BilanError {
            if let staging { try? fm.removeItem(atPath: staging) }
            return BilanError(.output, at: SourceLocation(path: display), "\(what) : \(systemErrorText(error, path: path))",
                              hint: "vérifiez que le dossier de sortie est accessible en écriture et que le disque n'est pas plein")
        }
        // Plain system calls: a batch writes thousands of folders, and each Foundation call checks much more.
        if mkdir(parent.path, 0o755) != 0 && errno != EEXIST {
            do {
                try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw fail("création du dossier de sortie impossible", error, path: shownParent, staging: nil)
            }
        }
        if removesLeftovers { removeLeftovers(in: parent, prefix: prefix) }

        let staging = parent.path + "/" + prefix + Self.stagingSuffix()
        do {
            try Self.makeFolder(staging)
            var folders: Set<String> = [""]
            for file in files.sorted(by: { $0.path < $1.path }) {
                // Subfolders (`annexes/`) are made once, parents first.
                var folder = ""
                for component in file.path.split(separator: "/").dropLast() {
                    folder += folder.isEmpty ? String(component) : "/" + component
                    if folders.insert(folder).inserted { try Self.makeFolder(staging + "/" + folder) }
                }
                try Self.writeBytes(file.bytes, to: staging + "/" + file.path)
                if simulatedFullDisk?(display) == true { throw POSIXError(.ENOSPC) }
            }
        } catch {
            throw fail("écriture impossible", error, path: shownParent, staging: staging)
        }

        // The new folder takes the old one's place in one step; the old one, now at the staging path, goes.
        // Another writer may create or replace the destination meanwhile: exchange and rename are tried again.
        var exchangeError: Int32 = 0
        for _ in 0..<100 {
            if plh_exchange_paths(staging, destination.path) == 0 {
                try? fm.removeItem(atPath: staging)
                return
            }
            exchangeError = errno
            guard exchangeError == ENOENT else { break }
            // Nothing there yet.
            if rename(staging, destination.path) == 0 { return }
            let renameError = errno
            guard renameError == EEXIST || renameError == ENOTEMPTY else {
                throw fail("remplacement du dossier \(display) impossible", POSIXError(POSIXErrorCode(rawValue: renameError) ?? .EIO),
                           path: display, staging: staging)
            }
        }
        guard exchangeError == EINVAL || exchangeError == ENOSYS || exchangeError == ENOTSUP else {
            throw fail("remplacement du dossier \(display) impossible", POSIXError(POSIXErrorCode(rawValue: exchangeError) ?? .EIO),
                       path: display, staging: staging)
        }
        // No atomic exchange on this system: move the old folder aside, then the new one in.
        if !fm.fileExists(atPath: destination.path), rename(staging, destination.path) == 0 { return }
        do {
            let retired = parent.appendingPathComponent(prefix + Self.stagingSuffix())
            try fm.moveItem(at: destination, to: retired)
            do {
                try fm.moveItem(atPath: staging, toPath: destination.path)
            } catch {
                try? fm.moveItem(at: retired, to: destination)
                throw error
            }
            try? fm.removeItem(at: retired)
        } catch {
            throw fail("remplacement du dossier \(display) impossible", error, path: display, staging: staging)
        }
    }

    static func makeFolder(_ path: String) throws {
        if mkdir(path, 0o755) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Writes one file: to a temporary file beside it, then renamed over it, so that an interrupted run
    /// never leaves a partial file where a good one was.
    public func writeFile(_ bytes: [UInt8], to destination: URL, display: String) throws(BilanError) {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let prefix = ".\(destination.lastPathComponent).tmp-"
        let staging = parent.appendingPathComponent(prefix + Self.stagingSuffix())
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            if removesLeftovers { removeLeftovers(in: parent, prefix: prefix) }
            try Self.writeBytes(bytes, to: staging.path, sync: syncsEachFile)
            if simulatedFullDisk?(display) == true { throw POSIXError(.ENOSPC) }
            if rename(staging.path, destination.path) != 0 {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw BilanError(.output, at: SourceLocation(path: display), "écriture impossible : \(systemErrorText(error, path: display))",
                             hint: "vérifiez que le dossier de sortie est accessible en écriture et que le disque n'est pas plein")
        }
    }

    /// Writes a new file with plain system calls (Foundation's `Data.write` does much more per file).
    /// With `sync`, the bytes are on the disk when it returns (fsync).
    static func writeBytes(_ bytes: [UInt8], to path: String, sync: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        defer { if sync { fsync(fd) } }
        var offset = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }

    /// How a destination stands to an input folder, both resolved: the same folder, one inside the other, or apart.
    public enum Overlap: Sendable, Equatable {
        case same, destinationInsideInput, inputInsideDestination
    }

    public static func overlap(destination: String, input: String) -> Overlap? {
        let d = resolvedPath(destination), i = resolvedPath(input)
        func inside(_ a: String, _ b: String) -> Bool { a.hasPrefix(b == "/" ? "/" : b + "/") }
        if d == i { return .same }
        if inside(d, i) { return .destinationInsideInput }
        if inside(i, d) { return .inputInsideDestination }
        return nil
    }

    /// Refuses a destination that is, contains or lies inside the project folder `input` (issue 11, defect 13:
    /// `render o1 --output .` replaced the project by its bilan).
    public static func checkApart(destination: String, display: String, input: String, inputDisplay: String) throws(BilanError) {
        guard let overlap = overlap(destination: destination, input: input) else { return }
        let what: String
        switch overlap {
        case .same: what = "est le dossier du projet « \(inputDisplay) » : l'écrire effacerait le projet"
        case .inputInsideDestination: what = "contient le dossier du projet « \(inputDisplay) » : l'écrire l'effacerait"
        case .destinationInsideInput: what = "est dans le dossier du projet « \(inputDisplay) », parmi ses fichiers d'entrée"
        }
        throw BilanError(.usage, at: nil, "--output : la sortie « \(display) » \(what) ; rien n'a été écrit",
                         hint: "choisissez un dossier de sortie hors du projet, par exemple --output output à côté de lui")
    }

    /// `PID-RANDOM`: the owner of a staging file or folder, and a name no other writer picks.
    static func stagingSuffix() -> String {
        "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Beyond this age a staging entry is stale whoever made it: no write takes an hour.
    public static let staleAge: TimeInterval = 3600

    /// Whether the staging entry `name` (`.NAME.tmp-PID-…`) is left over: its process is gone, or it is old.
    static func isStale(_ name: String, path: String, now: Date) -> Bool {
        guard let marker = name.range(of: ".tmp-") else { return false }
        let owner = name[marker.upperBound...].prefix { $0.isNumber }
        if let pid = Int32(owner), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { return true }
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec) > staleAge
    }

    /// Removes what an interrupted run of the same destination left behind (`prefix`: `.NAME.tmp-`);
    /// with an empty prefix, every `.NAME.tmp-…` entry of the folder. Only stale entries go (`isStale`).
    public func removeLeftovers(in parent: URL, prefix: String) {
        let fm = FileManager.default
        let now = Date()
        for entry in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? []
        where prefix.isEmpty ? (entry.hasPrefix(".") && entry.contains(".tmp-")) : entry.hasPrefix(prefix) {
            let path = parent.appendingPathComponent(entry).path
            if Self.isStale(entry, path: path, now: now) { try? fm.removeItem(atPath: path) }
        }
    }
}
