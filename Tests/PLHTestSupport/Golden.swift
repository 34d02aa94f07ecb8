import Foundation

/// Whether golden files are being re-recorded (`PLH_ACCEPT_GOLDEN=1`).
public var acceptsGolden: Bool { ProcessInfo.processInfo.environment["PLH_ACCEPT_GOLDEN"] == "1" }

/// Compares `actual` with a golden file; records it only when `accept` (by default `PLH_ACCEPT_GOLDEN=1`).
///
/// Returns nil when they match (or were recorded), otherwise a message to show in the failure: a short
/// line diff, or that the golden file is missing (a missing baseline fails, it is never recorded silently).
public func goldenMismatch(_ actual: [UInt8], golden: URL, accept: Bool = acceptsGolden) -> String? {
    let fm = FileManager.default
    if accept {
        do {
            try fm.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual).write(to: golden)
        } catch {
            return "golden file could not be recorded: \(golden.path): \(error)"
        }
        return nil
    }
    guard fm.fileExists(atPath: golden.path) else {
        return "golden file missing: \(golden.path) (set PLH_ACCEPT_GOLDEN=1 to record it, then review it)"
    }
    guard let expected = fm.contents(atPath: golden.path) else { return "golden file unreadable: \(golden.path)" }
    if [UInt8](expected) == actual { return nil }
    let a = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
    let b = String(decoding: actual, as: UTF8.self).components(separatedBy: "\n")
    var lines = ["\(golden.lastPathComponent) differs (set PLH_ACCEPT_GOLDEN=1 to re-record, then review the diff):"]
    for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
        lines.append("  line \(i + 1):")
        lines.append("  - \(i < a.count ? a[i] : "<absent>")")
        lines.append("  + \(i < b.count ? b[i] : "<absent>")")
        if lines.count > 30 { lines.append("  …"); break }
    }
    return lines.joined(separator: "\n")
}
