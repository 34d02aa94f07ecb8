import Foundation

/// What the host decides for a run: built once by the command line (from its environment) or by a server, and
/// passed down. Nothing below the command line reads the process environment.
public struct RunSettings: Sendable, Equatable {
    /// Seconds since 1970 written into archives and PDFs instead of the bilan's date (`SOURCE_DATE_EPOCH`).
    public var sourceDateEpoch: Int?
    /// The browser that prints PDFs, when forced (`PLH_CHROMIUM`); otherwise searched for in `searchPath`.
    public var chromium: String?
    /// Folders searched for Chromium (`PATH`).
    public var searchPath: [String]
    /// Whether a batch measures its phases (`PLH_BATCH_TIMING`), given back in its report.
    public var timing: Bool

    public init(sourceDateEpoch: Int? = nil, chromium: String? = nil, searchPath: [String] = ["/usr/bin", "/bin"], timing: Bool = false) {
        self.sourceDateEpoch = sourceDateEpoch
        self.chromium = chromium
        self.searchPath = searchPath
        self.timing = timing
    }

    /// The settings an environment gives (`SOURCE_DATE_EPOCH`, `PLH_CHROMIUM`, `PATH`, `PLH_BATCH_TIMING`);
    /// the command line passes its own.
    public init(environment: [String: String]) {
        let epoch = environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
        self.init(sourceDateEpoch: epoch.flatMap { $0 >= 0 ? $0 : nil },
                  chromium: environment["PLH_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 },
                  searchPath: (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init),
                  timing: environment["PLH_BATCH_TIMING"] != nil)
    }
}
