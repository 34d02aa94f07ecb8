import PLHBase
import Foundation
import PLHBatch
import PLHBilan

/// The `plh-bilan` command: parses arguments, calls the library, prints French messages, returns the exit code.
///
/// Each command is its own type (`Commands/`), with its help as data; this type finds the command, shows
/// help, and reports errors.
public struct CommandLineTool {
    public var standardOutput: (String) -> Void
    public var standardError: (String) -> Void
    /// Built here, from the process environment, and passed down: nothing below reads it.
    public var settings: RunSettings

    public init(standardOutput: @escaping (String) -> Void = { print($0) },
                standardError: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
                settings: RunSettings = RunSettings(environment: ProcessInfo.processInfo.environment)) {
        self.settings = settings
        // Every line may quote names from input files: no control character or escape sequence reaches the terminal.
        self.standardOutput = { standardOutput($0.withoutControlCharacters) }
        self.standardError = { standardError($0.withoutControlCharacters) }
    }

    /// Every command, in the order the usage lists them.
    static let commands: [any Command] = [
        InitCommand(), ImportCommand(), RenderCommand(), PackageCommand(), VerifyCommand(), BatchCommand(),
        CheckCommand(), FiguresCommand(), FindingsCommand(), TemplatesCommand(), ServeCommand(), BackupCommand(), HelpCommand(),
    ]

    /// The help of every command, subcommands included (for a man page).
    public static var commandHelps: [CommandHelp] { commands.map(\.help) }

    /// The words that ask for help wherever they appear.
    static let helpFlags: Set<String> = ["--help", "-h"]

    static let exitCodes = """
    Codes de sortie : 0 succès, 1 données du projet invalides, 2 commande mal formée,
    3 gabarit invalide, 4 écriture impossible, 5 programme nécessaire absent (Chromium pour --pdf),
    6 installation incomplète (gabarits ou données de référence de PLH Bilan introuvables).
    """

    /// `plh-bilan --help`: every command's usage and summary, from their help.
    public static var usage: String {
        var lines = ["plh-bilan : bilans de programme local de l'habitat (PLH)", "", "Utilisation :"]
        for command in commands {
            for help in command.help.all where !help.synopsis.isEmpty {
                lines += help.usageLines.map { "  " + $0 }
                lines.append("      " + help.summary)
            }
        }
        lines += ["  plh-bilan --version", "      Affiche la version de plh-bilan.", "",
                  "Aide d'une commande, avec des exemples : plh-bilan help COMMANDE ou plh-bilan COMMANDE --help.", "",
                  exitCodes]
        return lines.joined(separator: "\n")
    }

    /// Runs the command; `arguments` excludes the program name.
    public func run(_ arguments: [String]) -> Int32 {
        do {
            return try dispatch(arguments)
        } catch {
            // A usage error points to the help of its (sub)command; to the general help for `help` itself.
            let command = arguments.first.flatMap(Self.command(named:)).flatMap { $0 is HelpCommand ? nil : $0 }
            report(error, help: command.map { Self.helpRequested(by: $0.help, Array(arguments.dropFirst())) })
            return error.kind.exitCode
        }
    }

    func dispatch(_ arguments: [String]) throws(BilanError) -> Int32 {
        guard let first = arguments.first else {
            throw usageError("aucune commande donnée")
        }
        if first == "--version" {
            standardOutput(ViewModel.generator)
            return 0
        }
        if Self.helpFlags.contains(first) {
            // `plh-bilan --help [COMMANDE]`.
            standardOutput(try Self.help(for: Array(arguments.dropFirst())))
            return 0
        }
        guard let command = Self.command(named: first) else {
            throw Self.unknownCommand(first)
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains(where: Self.helpFlags.contains) {
            standardOutput(Self.helpRequested(by: command.help, rest.filter { !Self.helpFlags.contains($0) }).text)
            return 0
        }
        var options = try Options(rest, own: command.help.allOptions)
        return try command.run(&options, self)
    }

    static func command(named name: String) -> (any Command)? {
        commands.first { $0.name == name || $0.help.aliases.contains(name) }
    }

    static func unknownCommand(_ name: String) -> BilanError {
        let names = commands.map(\.name)
        return usageError("commande « \(name) » inconnue",
                          hint: suggestion(for: name, among: names) ?? "commandes : \(names.joined(separator: ", ")) ; voir plh-bilan --help")
    }

    /// `plh-bilan help WORDS`: the global usage, or the help of the command those words name (strictly).
    static func help(for words: [String]) throws(BilanError) -> String {
        guard let first = words.first else { return usage }
        guard let command = command(named: first) else { throw unknownCommand(first) }
        var help = command.help
        for word in words.dropFirst() {
            guard let sub = help.subcommands.first(where: { $0.path.last == word }) else {
                let names = help.subcommands.map { $0.path.last! }
                if names.isEmpty { throw usageError("« \(help.name) » n'a pas de sous-commande « \(word) »", hint: "plh-bilan help \(help.name)") }
                throw usageError("sous-commande « \(word) » de « \(help.name) » inconnue",
                                 hint: suggestion(for: word, among: names) ?? names.joined(separator: " ou "))
            }
            help = sub
        }
        return help.text
    }

    /// `plh-bilan X … --help`: the help of the deepest subcommand the first arguments name.
    static func helpRequested(by help: CommandHelp, _ arguments: [String]) -> CommandHelp {
        let positional = (try? Options(arguments).positional) ?? arguments.filter { !$0.hasPrefix("-") }
        var help = help
        for word in positional {
            guard let sub = help.subcommands.first(where: { $0.path.last == word }) else { break }
            help = sub
        }
        return help
    }

    func printWarnings(_ warnings: [Diagnostic]) {
        for warning in warnings { standardError(warning.description) }
    }

    func report(_ error: BilanError, help: CommandHelp?) {
        standardError(error.description)
        let errors = error.errorCount
        switch error.kind {
        case .input: standardError("\(French.count(errors, "erreur")) dans les données du projet : rien n'a été écrit.")
        case .template: standardError("\(French.count(errors, "erreur")) dans les gabarits : rien n'a été écrit.")
        case .usage: standardError("Aide : plh-bilan \(help.map { "\($0.name) " } ?? "")--help")
        case .output, .missingTool, .installation, .internal: break
        }
    }
}

func usageError(_ message: String, hint: String? = nil) -> BilanError {
    BilanError(.usage, at: nil, message, hint: hint)
}
