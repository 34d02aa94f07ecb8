import PLHBatch
import PLHBilan

/// `plh-bilan batch`: the bilan of every EPCI of an observatory or of a folder of projects, and their synthesis.
struct BatchCommand: Command {
    let help = CommandHelp(
        path: ["batch"],
        summary: "Produit le bilan de chaque EPCI d'un observatoire (observatoire.yaml) ou d'un dossier de projets, puis leur synthèse.",
        synopsis: ["ENTREE [--output DOSSIER] [--templates DOSSIER] [--jobs N] [--dept CODE]… [--epci SIREN]… [--force] [--package] [--classeur] [--quiet]"],
        description: [
            "Les EPCI sont rendus en parallèle ; un EPCI en erreur n'arrête pas les autres. Un EPCI dont les entrées "
                + "n'ont pas changé depuis le dernier passage n'est pas rendu à nouveau (sauf avec --force). La synthèse est écrite "
                + "dans DOSSIER/synthese/ et le compte rendu de chaque EPCI dans DOSSIER/rapport-batch.csv. "
                + "Le code de sortie est 1 si un EPCI est en erreur.",
        ],
        arguments: [HelpItem("ENTREE", "un dossier d'observatoire (observatoire.yaml) ou un dossier dont chaque sous-dossier est un projet")],
        options: [
            OptionHelp("--output", .value("DOSSIER"), "le dossier où écrire (par défaut : output)"),
            OptionHelp("--templates", .value("DOSSIER"), "des gabarits qui remplacent ceux par défaut"),
            OptionHelp("--jobs", .value("N"), "le nombre d'EPCI rendus en même temps (par défaut : un par cœur)"),
            OptionHelp("--dept", .values("CODE"), "seulement les EPCI de ce département (répétable, ou codes séparés par des virgules)"),
            OptionHelp("--epci", .values("SIREN"), "seulement cet EPCI (répétable, ou SIREN séparés par des virgules)"),
            OptionHelp("--force", .flag, "rend aussi les EPCI dont rien n'a changé"),
            OptionHelp("--package", .flag, "écrit aussi l'archive de dépôt de chaque EPCI"),
            OptionHelp("--classeur", .flag, "ajoute aux annexes de chaque EPCI le classeur annexes.xlsx (double le temps de calcul)"),
            OptionHelp("--quiet", .flag, "n'affiche ni la progression ni le résumé quand tout s'est bien passé"),
        ],
        examples: [
            HelpExample("plh-bilan batch observatoire --output sortie --dept 62,59", "les EPCI du Pas-de-Calais et du Nord, puis leur synthèse"),
            HelpExample("plh-bilan batch projets --jobs 2 --quiet", "chaque projet du dossier projets, deux à la fois, sans rien afficher en cas de succès"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let input = try options.single("ENTREE")
        var batch = BatchOptions()
        batch.settings = tool.settings
        batch.output = try options.value("--output") ?? "output"
        batch.templates = try options.value("--templates")
        if let jobs = try options.value("--jobs") {
            guard let n = Int(jobs), n > 0 else { throw usageError("--jobs attend un nombre entier positif, pas « \(jobs) »") }
            batch.jobs = n
        }
        let departments = options.values("--dept"), sirens = options.values("--epci")
        batch.departments = departments.isEmpty ? nil : Set(departments)
        batch.sirens = sirens.isEmpty ? nil : Set(sirens)
        batch.force = options.flag("--force")
        batch.package = options.flag("--package")
        batch.workbook = options.flag("--classeur")
        let quiet = options.flag("--quiet")
        try options.finish()
        let progress = quiet ? nil : ProgressDisplay(write: tool.standardError)
        let report = try BatchRunner(input: input, options: batch).run { done, total in progress?.update(done, total) }
        progress?.finish()
        if !report.phases.isEmpty {
            tool.standardError("temps : " + report.phases.map { "\($0.name) \(French.integer(Int(($0.seconds * 1000).rounded()))) ms" }.joined(separator: " · "))
        }
        tool.printWarnings(report.warnings)
        for r in report.results where r.status == .failed {
            tool.standardError("EPCI \(r.siren.isEmpty ? r.name : "\(r.siren) \(r.name)") non rendu :")
            for d in r.diagnostics.prefix(3) { tool.standardError("  " + d.description.replacingOccurrences(of: "\n", with: "\n  ")) }
            if r.diagnostics.count > 3 { tool.standardError("  … et \(French.count(r.diagnostics.count - 3, "autre")), voir \(BatchRunner.reportFile)") }
        }
        let total = report.results.count
        var parts = [French.count(report.rendered, "rendu")]
        if report.unchanged > 0 { parts.append(French.count(report.unchanged, "inchangé")) }
        if report.failed > 0 { parts.append("\(French.integer(report.failed)) en erreur") }
        // Warnings of rendered EPCIs are many in a national batch: counted here, listed in the report.
        let warned = report.results.filter { $0.status != .failed && !$0.diagnostics.isEmpty }.count
        if warned > 0 { parts.append("\(French.integer(warned)) avec des avertissements") }
        if !quiet || report.failed > 0 {
            tool.standardOutput("\(French.integer(total)) EPCI : \(parts.joined(separator: ", ")). Synthèse : \(batch.output)/\(BatchRunner.synthesisFolder)/synthese.html ; rapport : \(batch.output)/\(BatchRunner.reportFile)")
        }
        return report.failed > 0 ? FailureKind.input.exitCode : 0
    }
}
