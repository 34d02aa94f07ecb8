import PLHBilan

/// `plh-bilan package`: the submission archive of a project.
struct PackageCommand: Command {
    let help = CommandHelp(
        path: ["package"],
        summary: "Écrit l'archive de dépôt DOSSIER/<nom du projet>.zip : bilan, annexes, fichiers d'entrée, manifeste.",
        synopsis: ["DOSSIER_PROJET [--output DOSSIER] [--templates DOSSIER] [--pdf] [--brouillon]"],
        description: [
            "L'archive, à remettre au préfet et au CRHH, contient le bilan, ses annexes, les fichiers du projet, "
                + "un LISEZMOI.txt et manifest.json (empreinte SHA-256 de chaque fichier) ; elle est identique d'une exécution à l'autre. "
                + "plh-bilan verify la vérifie.",
            "Un bilan incomplet (objectifs, production ou récits manquants) est refusé, sauf avec --brouillon : "
                + "l'archive est alors marquée « Brouillon » sur la couverture, dans LISEZMOI.txt et dans manifest.json.",
        ],
        arguments: [HelpItem("DOSSIER_PROJET", "le dossier du projet")],
        options: RenderCommand.outputOptions + [
            OptionHelp("--brouillon", .flag, "écrit l'archive d'un bilan incomplet, marquée « Brouillon »"),
        ],
        examples: [
            HelpExample("plh-bilan package examples/call-2014-2020 --output depot", "écrit depot/call-2014-2020.zip et affiche son empreinte SHA-256"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let draft = options.flag("--brouillon")
        let (generator, output, pdf) = try RenderCommand.projectArguments(&options, tool)
        let result = try generator.package(into: output, pdf: pdf, draft: draft)
        tool.printWarnings(result.warnings)
        tool.standardOutput("\(result.isDraft ? "Brouillon (bilan incomplet) écrit" : "Archive écrite") : \(result.archive) (\(French.count(result.files.count, "fichier")))")
        tool.standardOutput("SHA-256 : \(result.sha256)")
        return 0
    }
}
