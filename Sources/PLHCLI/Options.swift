import PLHBilan

/// Arguments split into positionals and `--name value` options, consumed by the command.
///
/// Which options take a value, and which may be repeated, comes from the commands' declared options
/// (`CommandHelp.options`); an option declared by another command is parsed, then refused by `finish()`.
struct Options {
    var positional: [String] = []
    var named: [String: String] = [:]
    var repeated: [String: [String]] = [:]
    var flags: Set<String> = []

    /// Every option some command declares, by name.
    static let known: [String: OptionHelp.Kind] = {
        var known: [String: OptionHelp.Kind] = [:]
        for option in CommandLineTool.commands.flatMap(\.help.allOptions) where known[option.name] == nil {
            known[option.name] = option.kind
        }
        return known
    }()

    /// `own`: the options of the command being run, suggested first for a mistyped name.
    init(_ arguments: [String], own: [OptionHelp] = []) throws(BilanError) {
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument.hasPrefix("--") {
                var name = argument, inline: String?
                if let eq = argument.firstIndex(of: "=") {
                    name = String(argument[..<eq]); inline = String(argument[argument.index(after: eq)...])
                }
                func value() throws(BilanError) -> String {
                    if let inline { return inline }
                    guard i + 1 < arguments.count else { throw usageError("l'option \(name) attend une valeur") }
                    i += 1
                    return arguments[i]
                }
                switch Self.known[name] {
                case .flag:
                    flags.insert(name)
                case .values:
                    repeated[name, default: []] += try value().split(separator: ",").map(String.init)
                case .value:
                    if named[name] != nil { throw usageError("option \(name) donnée deux fois") }
                    named[name] = try value()
                case nil:
                    throw usageError("option « \(name) » inconnue",
                                     hint: suggestion(for: name, among: own.map(\.name)) ?? suggestion(for: name, among: Self.known.keys.sorted()))
                }
            } else {
                positional.append(argument)
            }
            i += 1
        }
    }

    mutating func value(_ name: String) throws(BilanError) -> String? {
        guard let value = named.removeValue(forKey: name) else { return nil }
        if value.isEmpty { throw usageError("l'option \(name) attend une valeur non vide") }
        return value
    }

    mutating func flag(_ name: String) -> Bool { flags.remove(name) != nil }

    mutating func values(_ name: String) -> [String] { repeated.removeValue(forKey: name) ?? [] }

    mutating func single(_ what: String) throws(BilanError) -> String {
        guard !positional.isEmpty else { throw usageError("\(what) manquant") }
        return positional.removeFirst()
    }

    func finish() throws(BilanError) {
        if let extra = positional.first { throw usageError("argument « \(extra) » en trop") }
        if let extra = named.keys.sorted().first ?? flags.sorted().first ?? repeated.keys.sorted().first {
            throw usageError("option \(extra) sans effet pour cette commande")
        }
    }
}
