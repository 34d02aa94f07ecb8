import PLHBilan

/// `plh-bilan init`: a new project folder for one EPCI, from the DGCL file.
struct InitCommand: Command {
    let help = CommandHelp(
        path: ["init"],
        summary: "Crée un dossier de projet pour un EPCI à partir du fichier des EPCI de la DGCL.",
        synopsis: ["DOSSIER --epci SIREN [--communes FICHIER] [--periode 2020-2025]"],
        description: [
            "Le dossier reçoit plh.yaml, communes.csv (communes et populations de l'EPCI), objectifs.csv et les récits, "
                + "commentés et à remplir. Le fichier des EPCI de la DGCL est livré avec plh-bilan ; --communes en désigne un autre.",
        ],
        arguments: [HelpItem("DOSSIER", "le dossier du projet à créer (absent ou vide)")],
        options: [
            OptionHelp("--epci", .values("SIREN"), "le SIREN de l'EPCI (9 chiffres), comme dans le fichier de la DGCL"),
            OptionHelp("--communes", .value("FICHIER"), "un autre fichier des EPCI de la DGCL (epcicom) que celui livré"),
            OptionHelp("--periode", .value("2020-2025"), "les années du plan (par défaut : trois ans avant l'année en cours, deux après)"),
        ],
        examples: [
            HelpExample("plh-bilan init lens-lievin --epci 246200364 --periode 2015-2020",
                        "crée le dossier lens-lievin pour la CA de Lens - Liévin, plan 2015-2020"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let folder = try options.single("DOSSIER")
        let sirens = options.values("--epci")
        guard sirens.count == 1 else {
            throw usageError(sirens.isEmpty ? "--epci SIREN manquant" : "init crée le projet d'un seul EPCI : --epci donné \(sirens.count) fois")
        }
        var initialiser = ProjectInitialiser()
        initialiser.settings = tool.settings
        if let communes = try options.value("--communes") { initialiser.communesFile = communes }
        let period = try options.value("--periode").map(Self.period)
        try options.finish()
        let report = try initialiser.run(folder: folder, siren: sirens[0], period: period)
        tool.standardOutput("Projet créé : \(report.folder) pour \(report.epciName), \(French.count(report.communes, "commune")), \(French.integer(report.population)) habitants (population municipale \(report.populationVintage)), plan \(report.years.lowerBound)-\(report.years.upperBound).")
        tool.standardOutput("À faire : vérifier plh.yaml, répartir les communes en catégories (communes.csv), remplir objectifs.csv, importer la production (plh-bilan import sitadel), rédiger les récits ; puis plh-bilan render \(report.folder).")
        return 0
    }

    /// `2020-2025`, the years of a plan.
    static func period(_ text: String) throws(BilanError) -> ClosedRange<Int> {
        let bounds = text.split(separator: "-").map { Int($0) }
        guard bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b, a >= 1900, b <= 2200 else {
            throw usageError("--periode : « \(text) » n'est pas une période", hint: "écrivez par exemple --periode 2020-2025")
        }
        return a...b
    }
}
