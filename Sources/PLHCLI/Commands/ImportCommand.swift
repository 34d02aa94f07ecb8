import PLHBilan

/// `plh-bilan import sitadel|agrements`: production data into a project.
struct ImportCommand: Command {
    static let sitadel = CommandHelp(
        path: ["import", "sitadel"],
        summary: "Ajoute au projet la production d'un fichier Sitadel de permis créant des logements (SDES).",
        synopsis: ["FICHIER --project DOSSIER [--stage autorises|commences|acheves] [--replace]"],
        description: [
            "Les permis des communes de l'EPCI et des années du plan sont comptés, par commune, année et segment, "
                + "dans production.csv ; le fichier est noté dans sources.csv. Réimporter le même fichier remplace ses lignes ; "
                + "une copie du même contenu sous un autre nom est refusée, et un permis déjà compté par un autre fichier "
                + "(même NUM_DAU) n'est pas recompté.",
        ],
        arguments: [HelpItem("FICHIER", "le fichier Sitadel (CSV, tel que publié par le SDES)")],
        options: [
            OptionHelp("--project", .value("DOSSIER"), "le dossier du projet"),
            OptionHelp("--stage", .value("STADE"), "la date comptée : autorises, commences ou acheves (par défaut : le stade du bilan)"),
            OptionHelp("--replace", .flag, "autorise un réimport qui remplacerait des lignes comptées à un autre stade, ou par aucune"),
        ],
        examples: [
            HelpExample("plh-bilan import sitadel PC_DAU_2017_2021.csv --project lens-lievin --stage autorises",
                        "compte les logements autorisés de 2017 à 2021 dans le projet lens-lievin"),
        ])

    static let approvals = CommandHelp(
        path: ["import", "agrements"],
        summary: "Ajoute au projet les agréments de logements sociaux (PLAI, PLUS, PLS), lus selon la correspondance donnée.",
        synopsis: ["FICHIER --project DOSSIER --mapping CORRESPONDANCE.yaml [--replace]"],
        description: [
            "La correspondance dit quelles colonnes du fichier donnent la commune, l'année et le nombre de logements "
                + "de chaque produit ; examples/agrements-correspondance.yaml en est un exemple commenté.",
        ],
        arguments: [HelpItem("FICHIER", "le fichier des agréments (CSV)")],
        options: [
            OptionHelp("--project", .value("DOSSIER"), "le dossier du projet"),
            OptionHelp("--mapping", .value("CORRESPONDANCE.yaml"), "la correspondance entre les colonnes du fichier et les produits"),
            OptionHelp("--replace", .flag, "autorise un réimport qui remplacerait des lignes par aucune"),
        ],
        examples: [
            HelpExample("plh-bilan import agrements agrements.csv --project lens-lievin --mapping agrements-correspondance.yaml",
                        "ajoute les agréments PLAI, PLUS et PLS au projet lens-lievin"),
        ])

    let help = CommandHelp(
        path: ["import"],
        summary: "Ajoute à un projet des données de production : permis Sitadel ou agréments de logements sociaux.",
        synopsis: [],
        examples: [
            HelpExample("plh-bilan import sitadel PC_DAU_2017_2021.csv --project lens-lievin", "importe des permis Sitadel"),
            HelpExample("plh-bilan help import agrements", "l'aide de l'import des agréments"),
        ],
        subcommands: [sitadel, approvals])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        guard let kind = options.positional.first else {
            throw usageError("type d'import attendu : sitadel ou agrements")
        }
        options.positional.removeFirst()
        let file = try options.single("FICHIER")
        guard let project = try options.value("--project") else { throw usageError("--project DOSSIER manquant") }
        let replace = options.flag("--replace")
        let report: ImportReport
        switch kind {
        case "sitadel":
            let stage = try options.value("--stage").map { text throws(BilanError) -> CountingStage in
                let codes = CountingStage.sitadel.map(\.code)
                guard let stage = CountingStage(code: normalisedName(text)), codes.contains(stage.code) else {
                    throw usageError("--stage : « \(text) » inconnu", hint: frenchEnumeration(codes, conjunction: "ou"))
                }
                return stage
            }
            try options.finish()
            var importer = SitadelImporter(projectFolder: project)
            importer.settings = tool.settings
            importer.replace = replace
            report = try importer.run(file: file, stage: stage)
        case "agrements":
            guard let mapping = try options.value("--mapping") else {
                throw usageError("--mapping CORRESPONDANCE.yaml manquant", hint: "voir l'exemple examples/agrements-correspondance.yaml")
            }
            try options.finish()
            var importer = ApprovalImporter(projectFolder: project)
            importer.settings = tool.settings
            importer.replace = replace
            report = try importer.run(file: file, mapping: mapping)
        default:
            throw usageError("import « \(kind) » inconnu", hint: suggestion(for: kind, among: ["sitadel", "agrements"]) ?? "sitadel ou agrements")
        }
        tool.printWarnings(report.notes)
        for line in report.summary { tool.standardOutput(line) }
        return 0
    }
}
