import PLHBilan

/// `plh-bilan verify`: a submission archive against its manifest.
struct VerifyCommand: Command {
    let help = CommandHelp(
        path: ["verify"],
        summary: "Vérifie une archive de dépôt contre son manifeste (fichiers manquants, en trop ou modifiés).",
        synopsis: ["ARCHIVE.zip"],
        description: [
            "L'archive est relue en mémoire, sans rien écrire. Chaque problème est affiché ; le code de sortie est 1 "
                + "si l'archive ne correspond pas à son manifeste.",
        ],
        arguments: [HelpItem("ARCHIVE.zip", "une archive écrite par plh-bilan package")],
        examples: [HelpExample("plh-bilan verify depot/call-2014-2020.zip", "vérifie chaque fichier de l'archive contre manifest.json")])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let archive = try options.single("ARCHIVE.zip")
        try options.finish()
        let report = try ArchiveVerifier().verify(archive)
        if report.isValid {
            tool.standardOutput("Archive conforme à son manifeste : \(French.count(report.checkedFiles, "fichier vérifié", "fichiers vérifiés")).")
            return 0
        }
        for problem in report.problems { tool.standardError("\(archive) : \(problem)") }
        tool.standardError("\(French.count(report.problems.count, "problème")) : l'archive ne correspond pas à son manifeste.")
        return FailureKind.input.exitCode
    }
}
