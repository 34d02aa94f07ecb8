import PLHBilan

/// `plh-bilan check`: the project and its templates checked, nothing written.
struct CheckCommand: Command {
    let help = CommandHelp(
        path: ["check"],
        summary: "Vérifie le projet et ses gabarits sans rien écrire ; --strict traite les avertissements comme des erreurs.",
        synopsis: ["DOSSIER_PROJET [--strict] [--templates DOSSIER]"],
        description: [
            "Toutes les erreurs sont listées, chacune avec son fichier, sa ligne et sa colonne ; le code de sortie est 1 "
                + "si le projet a une erreur (ou un avertissement, avec --strict), 3 si un gabarit en a une.",
        ],
        arguments: [HelpItem("DOSSIER_PROJET", "le dossier du projet")],
        options: [
            OptionHelp("--strict", .flag, "refuse aussi les avertissements (code 1)"),
            OptionHelp("--templates", .value("DOSSIER"), "vérifie aussi ces gabarits"),
        ],
        examples: [HelpExample("plh-bilan check lens-lievin --strict", "vérifie le projet lens-lievin, avertissements compris")])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let project = try options.single("DOSSIER_PROJET")
        let strict = options.flag("--strict")
        let templates = try options.value("--templates")
        try options.finish()
        let generator = try BilanGenerator(projectFolder: project, templates: templates, settings: tool.settings)
        let loaded = try generator.load()
        var warnings = loaded.warnings
        // The communes against the DGCL list shipped with PLH Bilan: a member left out, or a stranger, is worth a word.
        do {
            warnings += try MembershipCheck().warnings(for: loaded.project,
                                                       communesFile: generator.folder.display(loaded.communesFile))
        } catch {
            warnings.append(Diagnostic(.warning, at: nil, "communes non comparées à la liste DGCL : \(error.diagnostics.first?.message ?? "fichier illisible")"))
        }
        // What the narratives lose when rendered (remote images, raw HTML) is worth a warning too.
        let bilan = try generator.render(loaded.project, Achievement(project: loaded.project))
        warnings += bilan.warnings
        tool.printWarnings(warnings)
        if strict && !warnings.isEmpty {
            tool.standardError("\(French.count(warnings.count, "avertissement")) : refusé avec --strict.")
            return FailureKind.input.exitCode
        }
        let counted = warnings.isEmpty ? "" : ", \(French.count(warnings.count, "avertissement"))"
        tool.standardOutput("Projet valide : \(French.count(loaded.project.communes.count, "commune")), \(French.count(loaded.project.production.count, "ligne de production", "lignes de production"))\(counted).")
        return 0
    }
}
