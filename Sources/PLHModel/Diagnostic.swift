/// A place in an input file: `path:line:column`, line and column counted from 1.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The path as shown to the user (relative to where the command was run when it can be).
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

/// One message about an input: where, what is wrong, and how to fix it. The text is French, for the user.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error = "erreur"
        case warning = "avertissement"
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    /// What the user can do about it, if there is something useful to say.
    public var hint: String?

    public init(_ severity: Severity = .error, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `plh.yaml:12:3: erreur : message` then the hint on its own line.
    ///
    /// Without control characters: names quoted from input files must not send escape sequences to a terminal.
    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue) : \(message)"
        if let hint { text += "\n  → \(hint)" }
        return text.withoutControlCharacters
    }
}

/// Why a run failed. Each kind has its own stable exit code, listed in the README.
public enum FailureKind: Int32, Sendable, CaseIterable {
    /// The project's files are wrong (data, YAML, narratives).
    case input = 1
    /// The command line is wrong.
    case usage = 2
    /// A template is wrong (syntax, unknown name).
    case template = 3
    /// An output could not be written.
    case output = 4
    /// A program PLH Bilan needs for this request is missing (Chromium for the PDF).
    case missingTool = 5
    /// PLH Bilan's own files (templates, reference data) are missing: a broken installation.
    case installation = 6
    /// A bug in PLH Bilan itself.
    case `internal` = 70

    public var exitCode: Int32 { rawValue }
}

/// The error every stage throws: one kind and the diagnostics that explain it.
public struct BilanError: Error, Sendable, CustomStringConvertible {
    public var kind: FailureKind
    public var diagnostics: [Diagnostic]
    /// Errors found but not listed in `diagnostics`, past the limit of a run.
    public var hiddenErrors = 0

    /// Every error found, listed or not.
    public var errorCount: Int {
        diagnostics.filter { $0.severity == .error }.count + hiddenErrors
    }

    public init(_ kind: FailureKind, _ diagnostics: [Diagnostic]) {
        self.kind = kind
        self.diagnostics = diagnostics
    }

    public init(_ kind: FailureKind, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        self.init(kind, [Diagnostic(at: location, message, hint: hint)])
    }

    public var description: String {
        var lines = diagnostics.map(\.description)
        if hiddenErrors > 0 {
            let s = hiddenErrors > 1 ? "s" : ""
            lines.append(Diagnostic(at: nil, "\(hiddenErrors) autre\(s) erreur\(s) non affichée\(s)",
                                    hint: "corrigez les erreurs ci-dessus et relancez").description)
        }
        return lines.joined(separator: "\n")
    }
}
