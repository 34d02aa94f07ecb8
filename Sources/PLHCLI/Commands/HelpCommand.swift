import Foundation
import PLHBilan

/// `plh-bilan help [COMMANDE [SOUS-COMMANDE]]`: the general usage, or one command's help.
struct HelpCommand: Command {
    let help = CommandHelp(
        path: ["help"],
        aliases: ["aide"],
        summary: "Affiche l'aide générale, ou celle d'une commande, avec des exemples.",
        synopsis: ["[COMMANDE [SOUS-COMMANDE]]", "--man"],
        description: ["plh-bilan COMMANDE --help (ou -h) affiche la même aide. « aide » est un autre nom de cette commande."],
        arguments: [HelpItem("COMMANDE", "une commande, par exemple render ou import sitadel")],
        options: [OptionHelp("--man", .flag, "écrit la page de manuel plh-bilan(1), en roff, à partir de l'aide de toutes les commandes")],
        examples: [
            HelpExample("plh-bilan help render", "l'aide de la commande render"),
            HelpExample("plh-bilan help import sitadel", "l'aide de l'import d'un fichier Sitadel"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let words = options.positional
        options.positional = []
        let man = options.flag("--man")
        try options.finish()
        if man {
            guard words.isEmpty else { throw usageError("--man écrit la page de tout le programme, sans nom de commande", hint: "plh-bilan help --man") }
            // The page's date: the build's (SOURCE_DATE_EPOCH) for a reproducible package, otherwise today.
            tool.standardOutput(String(ManPage.roff(date: importDate(settings: tool.settings).iso8601).dropLast()))
            return 0
        }
        tool.standardOutput(try CommandLineTool.help(for: words))
        return 0
    }
}
