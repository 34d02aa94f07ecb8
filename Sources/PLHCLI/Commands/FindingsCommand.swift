import PLHBilan

/// `plh-bilan constats`: the bilan's findings with their identifiers.
struct FindingsCommand: Command {
    let help = CommandHelp(
        path: ["constats"],
        summary: "Affiche les constats du bilan avec leurs identifiants (pour les désactiver ou les reformuler).",
        synopsis: ["DOSSIER_PROJET"],
        description: ["Chaque constat est affiché avec son identifiant, à reprendre dans la section constats de plh.yaml (desactiver, textes).",
                      "Les constats au-delà du nombre retenu par unité (constats.nombre, 5 par défaut) sont listés aussi, marqués « hors du bilan »."],
        arguments: [HelpItem("DOSSIER_PROJET", "le dossier du projet")],
        examples: [HelpExample("plh-bilan constats examples/call-2014-2020", "liste les constats du bilan de la CALL, par exemple avancement/EPCI")])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let project = try options.single("DOSSIER_PROJET")
        try options.finish()
        let loaded = try ProjectLoader(folder: ProjectFolder(project)).load()
        tool.printWarnings(loaded.warnings)
        let settings = loaded.project.findingSettings
        let achievement = Achievement(project: loaded.project)
        let stated = achievement.findings(settings: settings)
        // Findings past `constats.nombre` are listed too, marked, so that the officer can choose.
        var everything = settings
        everything.maximum = .max
        let findings = achievement.findings(settings: everything)
        for unit in ["EPCI"] + loaded.project.categories.map(\.code) {
            let inBilan = Set((stated[unit] ?? []).map(\.id))
            for finding in findings[unit] ?? [] {
                let mark = inBilan.contains(finding.id) ? "" : "  (hors du bilan : au-delà de constats.nombre, \(settings.maximum) par unité)"
                tool.standardOutput("\(finding.id)\(mark)\n  \(FindingText.text(finding, settings: settings))")
            }
        }
        return 0
    }
}
