import PLHModel

/// Collects the diagnostics of a load, so that one run reports every error (up to a limit).
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []
    /// Errors beyond this number are counted but not kept.
    public var limit = 50
    public private(set) var droppedErrors = 0

    public init() {}

    public var errorCount: Int { all.filter { $0.severity == .error }.count + droppedErrors }
    public var hasErrors: Bool { errorCount > 0 }
    public var warnings: [Diagnostic] { sorted.filter { $0.severity == .warning } }

    public mutating func error(at location: SourceLocation?, _ message: String, hint: String? = nil) {
        if all.filter({ $0.severity == .error }).count >= limit {
            droppedErrors += 1
        } else {
            all.append(Diagnostic(.error, at: location, message, hint: hint))
        }
    }

    public mutating func warning(at location: SourceLocation?, _ message: String, hint: String? = nil) {
        all.append(Diagnostic(.warning, at: location, message, hint: hint))
    }

    public mutating func append(_ error: BilanError) {
        append(contentsOf: error.diagnostics)
    }

    /// Appends the diagnostics `other` collected, in their order, as if they had been collected here.
    public mutating func append(_ other: Diagnostics) {
        append(contentsOf: other.all)
        droppedErrors += other.droppedErrors
    }

    /// Each diagnostic, as `error` or `warning` would add it (errors beyond the limit counted).
    private mutating func append(contentsOf diagnostics: [Diagnostic]) {
        for d in diagnostics {
            d.severity == .error ? error(at: d.location, d.message, hint: d.hint) : warning(at: d.location, d.message, hint: d.hint)
        }
    }

    /// All diagnostics in reading order: files in the order they were first mentioned, then by line and column.
    public var sorted: [Diagnostic] {
        var rank: [String: Int] = [:]
        for d in all { if let path = d.location?.path, rank[path] == nil { rank[path] = rank.count } }
        return all.enumerated().sorted { a, b in
            func key(_ d: Diagnostic, _ i: Int) -> (Int, Int, Int, Int) {
                (d.location.flatMap { rank[$0.path] } ?? Int.max, d.location?.line ?? 0, d.location?.column ?? 0, i)
            }
            return key(a.element, a.offset) < key(b.element, b.offset)
        }.map(\.element)
    }

    /// Throws the collected errors (with the warnings), if there is any error.
    public func throwIfErrors() throws(BilanError) {
        guard hasErrors else { return }
        var error = BilanError(.input, sorted)
        error.hiddenErrors = droppedErrors
        throw error
    }
}
