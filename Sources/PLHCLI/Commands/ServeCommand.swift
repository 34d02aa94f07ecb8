import Dispatch
import Foundation
import PLHBilan
import PLHServer

/// `plh-bilan serve`: the web application, on its data folder (database and projects).
struct ServeCommand: Command {
    let help = CommandHelp(
        path: ["serve"],
        summary: "Lance l'application web : comptes, organisations et bilans dans le navigateur.",
        synopsis: ["[--data DOSSIER] [--port 8080] [--host 127.0.0.1] [--secure-cookies]"],
        description: [
            "Le dossier de données reçoit la base SQLite (plh-bilan.sqlite) et les projets (projets/), au format des dossiers "
                + "de la ligne de commande. Au premier démarrage, la base est vide : un lien à usage unique, affiché ici, "
                + "crée le premier administrateur. Ctrl-C arrête le serveur.",
        ],
        options: [
            OptionHelp("--data", .value("DOSSIER"), "le dossier de données (par défaut : donnees-web)"),
            OptionHelp("--port", .value("8080"), "le port d'écoute (par défaut : 8080)"),
            OptionHelp("--host", .value("127.0.0.1"), "l'adresse d'écoute (par défaut : 127.0.0.1, cette machine seulement)"),
            OptionHelp("--secure-cookies", .flag, "cookies marqués Secure, quand le serveur est servi en HTTPS (par un mandataire)"),
        ],
        examples: [
            HelpExample("plh-bilan serve --data /srv/plh-bilan --port 8080",
                        "lance le serveur sur http://127.0.0.1:8080 avec ses données dans /srv/plh-bilan"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let configuration = try Self.configuration(&options, tool)
        let data = configuration.dataFolder
        let outcome = Outcome(print: tool.standardOutput)
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            do {
                let app = try await buildApplication(configuration)
                outcome.print("PLH Bilan en service sur \(configuration.baseURL) (données : \(data)). Ctrl-C pour arrêter.")
                try await app.runService()
            } catch {
                outcome.failure = "\(error)"
            }
            semaphore.signal()
        }
        semaphore.wait()
        if let failure = outcome.failure {
            throw BilanError(.output, at: SourceLocation(path: data),
                             "le serveur n'a pas pu démarrer ou s'est arrêté sur une erreur : \(failure)",
                             hint: "vérifiez que le port \(configuration.port) est libre et que le dossier de données est accessible en écriture")
        }
        return 0
    }

    /// The server's configuration from the options; what the server tells is printed in French.
    static func configuration(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> ServerConfiguration {
        var configuration = ServerConfiguration(dataFolder: try options.value("--data") ?? "donnees-web")
        configuration.settings = tool.settings
        if let host = try options.value("--host") {
            guard !host.isEmpty, !host.contains("/") else { throw usageError("--host : « \(host) » n'est pas une adresse") }
            configuration.host = host
        }
        if let text = try options.value("--port") {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw usageError("--port : « \(text) » n'est pas un port", hint: "un nombre de 1 à 65535, par exemple --port 8080")
            }
            configuration.port = port
        }
        configuration.secureCookies = options.flag("--secure-cookies")
        try options.finish()
        let printer = Outcome(print: tool.standardOutput)
        configuration.notify = { notice in
            switch notice {
            case .firstStart(let link):
                printer.print("Premier démarrage : aucun compte n'existe encore. Ouvrez ce lien, à usage unique, pour créer "
                              + "le premier administrateur :")
                printer.print("  " + link)
            }
        }
        return configuration
    }
}

/// What the server's task hands back to the command (lines to print, an error), across threads.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private let printLine: (String) -> Void
    private var _failure: String?

    init(print: @escaping (String) -> Void = { Swift.print($0) }) {
        printLine = print
    }

    /// Prints a line now: flushed, since a server's output often goes to a file or a journal, which buffer.
    func print(_ line: String) {
        lock.withLock {
            printLine(line)
            fflush(nil)
        }
    }

    var failure: String? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }
}
