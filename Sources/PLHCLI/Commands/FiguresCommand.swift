import PLHBilan

/// `plh-bilan chiffres`: the figures narratives may quote.
struct FiguresCommand: Command {
    let help = CommandHelp(
        path: ["chiffres"],
        summary: "Affiche les chiffres que les récits peuvent citer, par exemple {{EPCI.ensemble.taux_plan}}.",
        synopsis: ["DOSSIER_PROJET"],
        description: ["Une ligne par chiffre : son nom entre doubles accolades, une tabulation, sa valeur telle que le bilan l'écrit."],
        arguments: [HelpItem("DOSSIER_PROJET", "le dossier du projet")],
        examples: [HelpExample("plh-bilan chiffres examples/call-2014-2020", "liste les chiffres du bilan de la CALL, à citer dans les récits")])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let project = try options.single("DOSSIER_PROJET")
        try options.finish()
        let loaded = try ProjectLoader(folder: ProjectFolder(project)).load()
        let model = ViewModel(project: loaded.project, achievement: Achievement(project: loaded.project))
        for (name, value) in model.figures.names { tool.standardOutput("{{\(name)}}\t\(value)") }
        return 0
    }
}
