import PLHBilan

/// `plh-bilan help [COMMANDE [SOUS-COMMANDE]]`: the general usage, or one command's help.
struct HelpCommand: Command {
    let help = CommandHelp(
        path: ["help"],
        aliases: ["aide"],
        summary: "Affiche l'aide générale, ou celle d'une commande, avec des exemples.",
        synopsis: ["[COMMANDE [SOUS-COMMANDE]]"],
        description: ["plh-bilan COMMANDE --help (ou -h) affiche la même aide. « aide » est un autre nom de cette commande."],
        arguments: [HelpItem("COMMANDE", "une commande, par exemple render ou import sitadel")],
        examples: [
            HelpExample("plh-bilan help render", "l'aide de la commande render"),
            HelpExample("plh-bilan help import sitadel", "l'aide de l'import d'un fichier Sitadel"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let words = options.positional
        options.positional = []
        try options.finish()
        tool.standardOutput(try CommandLineTool.help(for: words))
        return 0
    }
}
