#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The absolute path of `path` with symbolic links, `.` and `..` resolved; for a path not created yet,
/// its nearest existing parent resolved, then the rest.
public func resolvedPath(_ path: String) -> String {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    var rest: [String] = []
    while true {
        if let resolved = realpath(url.path, nil) {
            defer { free(resolved) }
            var full = String(cString: resolved)
            for component in rest.reversed() { full += (full.hasSuffix("/") ? "" : "/") + component }
            return full
        }
        if url.path == "/" { return URL(fileURLWithPath: path).standardizedFileURL.path }
        rest.append(url.lastPathComponent)
        url.deleteLastPathComponent()
    }
}
