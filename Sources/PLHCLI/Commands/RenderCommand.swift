import PLHBilan

/// `plh-bilan render`: a project's bilan.html, CSV annexes and their workbook (and bilan.pdf).
struct RenderCommand: Command {
    /// The options `render` and `package` share.
    static let outputOptions = [
        OptionHelp("--output", .value("DOSSIER"), "le dossier où écrire (par défaut : output)"),
        OptionHelp("--templates", .value("DOSSIER"), "des gabarits qui remplacent, fichier par fichier, ceux par défaut et ceux du projet"),
        OptionHelp("--pdf", .flag, "imprime aussi bilan.pdf avec Chromium (headless), qui doit être installé"),
    ]

    let help = CommandHelp(
        path: ["render"],
        summary: "Produit le bilan d'un projet : DOSSIER/<nom du projet>/bilan.html et ses annexes (CSV et classeur .xlsx).",
        synopsis: ["DOSSIER_PROJET [--output DOSSIER] [--templates DOSSIER] [--pdf]"],
        description: [
            "Le projet est d'abord entièrement vérifié : en cas d'erreur, rien n'est écrit. Le dossier du bilan est écrit "
                + "à côté de sa destination puis prend la place de l'ancien, qui reste intact si l'écriture échoue.",
        ],
        arguments: [HelpItem("DOSSIER_PROJET", "le dossier du projet (plh.yaml, communes.csv, objectifs.csv, production.csv, récits)")],
        options: outputOptions,
        examples: [
            HelpExample("plh-bilan render examples/call-2014-2020", "écrit output/call-2014-2020/bilan.html et output/call-2014-2020/annexes/"),
            HelpExample("plh-bilan render mon-plh --output bilans --pdf", "écrit bilans/mon-plh/bilan.html, ses annexes et bilan.pdf"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let (generator, output, pdf) = try Self.projectArguments(&options, tool)
        let result = try generator.generate(into: output, pdf: pdf)
        tool.printWarnings(result.warnings)
        let annexes = result.files.filter { $0.hasSuffix(".csv") }.count
        let workbook = result.files.contains { $0.hasSuffix(".xlsx") } ? " et leur classeur annexes.xlsx" : ""
        tool.standardOutput("Bilan écrit : \(result.outputFolder)/bilan.html\(pdf ? " et bilan.pdf" : "") (+ \(French.count(annexes, "annexe CSV", "annexes CSV"))\(workbook))")
        return 0
    }

    /// The arguments `render` and `package` share: the project, `--output`, `--templates`, `--pdf`.
    static func projectArguments(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> (BilanGenerator, output: String, pdf: Bool) {
        let project = try options.single("DOSSIER_PROJET")
        let output = try options.value("--output") ?? "output"
        let templates = try options.value("--templates")
        let pdf = options.flag("--pdf")
        try options.finish()
        return (try BilanGenerator(projectFolder: project, templates: templates, settings: tool.settings), output, pdf)
    }
}
