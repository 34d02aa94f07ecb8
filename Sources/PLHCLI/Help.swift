import PLHBilan

/// One command of `plh-bilan`: its help, kept as data, and what it does.
///
/// The help drives everything that describes the command: `plh-bilan X --help`, `plh-bilan help X`,
/// the global usage (built from the summaries) and the options the parser knows, so none can drift.
protocol Command: Sendable {
    var help: CommandHelp { get }
    /// Runs the command on its parsed arguments (the command's own words removed); returns the exit code.
    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32
}

extension Command {
    var name: String { help.name }
}

/// The help of a command or subcommand, as structured data (for `--help` and for a man page).
public struct CommandHelp: Sendable {
    /// The words after `plh-bilan`: `["render"]`, `["import", "sitadel"]`.
    public var path: [String]
    /// Other names typed for the same command (`aide` for `help`).
    public var aliases: [String]
    /// One line, starting with a capital, ending with a full stop.
    public var summary: String
    /// What follows the command's words on its usage lines: `DOSSIER_PROJET [--output DOSSIER]`.
    /// Empty for a command made of subcommands (their synopses are shown instead).
    public var synopsis: [String]
    /// Paragraphs.
    public var description: [String]
    public var arguments: [HelpItem]
    public var options: [OptionHelp]
    public var examples: [HelpExample]
    public var subcommands: [CommandHelp]

    public init(path: [String], aliases: [String] = [], summary: String, synopsis: [String], description: [String] = [],
                arguments: [HelpItem] = [], options: [OptionHelp] = [], examples: [HelpExample], subcommands: [CommandHelp] = []) {
        self.path = path
        self.aliases = aliases
        self.summary = summary
        self.synopsis = synopsis
        self.description = description
        self.arguments = arguments
        self.options = options
        self.examples = examples
        self.subcommands = subcommands
    }

    /// `import sitadel`.
    public var name: String { path.joined(separator: " ") }

    /// Complete usage lines: `plh-bilan render DOSSIER_PROJET [--output DOSSIER] …`, those of the subcommands for a group.
    public var usageLines: [String] {
        if synopsis.isEmpty { return subcommands.flatMap(\.usageLines) }
        return synopsis.map { (["plh-bilan"] + path + ($0.isEmpty ? [] : [$0])).joined(separator: " ") }
    }

    /// The command and its subcommands, depth first.
    public var all: [CommandHelp] { [self] + subcommands.flatMap(\.all) }

    /// Every option of the command and its subcommands.
    var allOptions: [OptionHelp] { all.flatMap(\.options) }

    /// The text `plh-bilan X --help` prints.
    public var text: String {
        var out = ["plh-bilan \(name) : \(summary.prefix(1).lowercased() + summary.dropFirst())"]
        if !synopsis.isEmpty {
            out += ["", "Utilisation :"] + usageLines.map { "  " + $0 }
        }
        if !description.isEmpty {
            out.append("")
            out += description.flatMap { Self.wrap($0) + [""] }.dropLast()
        }
        if !arguments.isEmpty {
            out += ["", "Arguments :"] + Self.table(arguments.map { ($0.name, $0.text) })
        }
        let helpOption = ("-h, --help", "affiche cette aide")
        out += ["", "Options :"] + Self.table(options.map { ($0.term, $0.text) } + [helpOption])
        if !subcommands.isEmpty {
            out += ["", "Sous-commandes :"]
            for sub in subcommands {
                out += sub.usageLines.map { "  " + $0 }
                out.append("      " + sub.summary)
            }
            out.append("Aide de chacune : plh-bilan help \(name) SOUS-COMMANDE, ou plh-bilan \(name) SOUS-COMMANDE --help.")
        }
        out += ["", examples.count == 1 ? "Exemple :" : "Exemples :"]
        for example in examples {
            out.append("  " + example.command)
            if !example.text.isEmpty { out.append("      " + example.text) }
        }
        return out.joined(separator: "\n")
    }

    /// A paragraph cut into lines of at most `width` characters, between words.
    static func wrap(_ paragraph: String, width: Int = 100) -> [String] {
        var lines: [String] = [], line = ""
        for word in paragraph.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Two columns: terms padded to the widest.
    static func table(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "   " + $0.1 }
    }
}

/// A positional argument and what it is.
public struct HelpItem: Sendable {
    public var name: String
    public var text: String

    public init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }
}

/// An option, how it is given, and what it does. The parser knows options from these declarations.
public struct OptionHelp: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `--pdf`.
        case flag
        /// `--output DOSSIER`, given at most once.
        case value(String)
        /// `--dept CODE`, given several times or with values separated by commas.
        case values(String)
    }

    public var name: String
    public var kind: Kind
    public var text: String

    public init(_ name: String, _ kind: Kind, _ text: String) {
        self.name = name
        self.kind = kind
        self.text = text
    }

    /// `--output DOSSIER`.
    public var term: String {
        switch kind {
        case .flag: return name
        case .value(let placeholder), .values(let placeholder): return "\(name) \(placeholder)"
        }
    }
}

/// A command line and what it does.
public struct HelpExample: Sendable {
    public var command: String
    public var text: String

    public init(_ command: String, _ text: String) {
        self.command = command
        self.text = text
    }
}
