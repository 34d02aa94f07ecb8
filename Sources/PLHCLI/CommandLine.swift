import Foundation
import PLHBatch
import PLHBilan

/// The `plh-bilan` command: parses arguments, calls the library, prints French messages, returns the exit code.
public struct CommandLineTool {
    public var standardOutput: (String) -> Void
    public var standardError: (String) -> Void
    /// Built here, from the process environment, and passed down: nothing below reads it.
    public var settings: RunSettings

    public init(standardOutput: @escaping (String) -> Void = { print($0) },
                standardError: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
                settings: RunSettings = RunSettings(environment: ProcessInfo.processInfo.environment)) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.settings = settings
    }

    public static let usage = """
    plh-bilan : bilans de programme local de l'habitat (PLH)

    Utilisation :
      plh-bilan init DOSSIER --epci SIREN [--communes FICHIER] [--periode 2020-2025]
          Crée un dossier de projet pour cet EPCI à partir du fichier des EPCI de la DGCL (livré, ou FICHIER) :
          communes, populations, segments, objectifs et récits à remplir.
      plh-bilan import sitadel FICHIER --project DOSSIER [--stage autorises|commences|acheves]
          Ajoute au projet la production d'un fichier Sitadel de permis créant des logements (SDES) ;
          réimporter le même fichier remplace ses lignes.
      plh-bilan import agrements FICHIER --project DOSSIER --mapping CORRESPONDANCE.yaml
          Ajoute au projet les agréments de logements sociaux (PLAI, PLUS, PLS), lus selon la correspondance donnée.
      plh-bilan render DOSSIER_PROJET [--output DOSSIER] [--templates DOSSIER] [--pdf]
          Produit DOSSIER/<nom du projet>/bilan.html et ses annexes CSV (DOSSIER : output par défaut) ;
          avec --pdf, aussi bilan.pdf, imprimé par Chromium.
      plh-bilan package DOSSIER_PROJET [--output DOSSIER] [--templates DOSSIER] [--pdf] [--brouillon]
          Écrit l'archive de dépôt DOSSIER/<nom du projet>.zip : bilan, annexes, fichiers d'entrée, manifeste ;
          un bilan incomplet est refusé, sauf avec --brouillon (archive marquée « Brouillon »).
      plh-bilan verify ARCHIVE.zip
          Vérifie une archive de dépôt contre son manifeste (fichiers manquants, en trop ou modifiés).
      plh-bilan batch ENTREE [--output DOSSIER] [--jobs N] [--dept CODE]... [--epci SIREN]... [--force] [--package] [--quiet]
          Produit le bilan de chaque EPCI d'un observatoire (observatoire.yaml) ou d'un dossier de projets,
          puis la synthèse DOSSIER/synthese/ et DOSSIER/rapport-batch.csv ; un EPCI en erreur n'arrête pas les autres.
      plh-bilan check DOSSIER_PROJET [--strict]
          Vérifie le projet sans rien écrire ; --strict traite les avertissements comme des erreurs.
      plh-bilan chiffres DOSSIER_PROJET
          Affiche les chiffres que les récits peuvent citer, par exemple {{EPCI.ensemble.taux_plan}}.
      plh-bilan constats DOSSIER_PROJET
          Affiche les constats du bilan avec leurs identifiants (pour les désactiver ou les reformuler).
      plh-bilan templates export DOSSIER
          Écrit les gabarits par défaut dans DOSSIER, pour les modifier.
      plh-bilan templates reference
          Affiche la liste des noms utilisables dans les gabarits (Markdown).
      plh-bilan --help | --version

    Codes de sortie : 0 succès, 1 données du projet invalides, 2 commande mal formée,
    3 gabarit invalide, 4 écriture impossible, 5 programme nécessaire absent (Chromium pour --pdf).
    """

    /// Runs the command; `arguments` excludes the program name.
    public func run(_ arguments: [String]) -> Int32 {
        do {
            return try dispatch(arguments)
        } catch {
            report(error)
            return error.kind.exitCode
        }
    }

    func dispatch(_ arguments: [String]) throws(BilanError) -> Int32 {
        guard let command = arguments.first else {
            throw usageError("aucune commande donnée")
        }
        var options = try Options(Array(arguments.dropFirst()))
        switch command {
        case "-h", "--help", "aide":
            standardOutput(Self.usage)
            return 0
        case "--version":
            standardOutput(ViewModel.generator)
            return 0
        case "render":
            let (generator, output, pdf) = try projectCommand(&options)
            let result = try generator.generate(into: output, pdf: pdf)
            printWarnings(result.warnings)
            let annexes = result.files.filter { $0.hasSuffix(".csv") }.count
            standardOutput("Bilan écrit : \(result.outputFolder)/bilan.html\(pdf ? " et bilan.pdf" : "") (+ \(annexes) annexes CSV)")
            return 0
        case "init":
            let folder = try options.single("DOSSIER")
            let sirens = options.values("--epci")
            guard sirens.count == 1 else {
                throw usageError(sirens.isEmpty ? "--epci SIREN manquant" : "init crée le projet d'un seul EPCI : --epci donné \(sirens.count) fois")
            }
            var initialiser = ProjectInitialiser()
            if let communes = try options.value("--communes") { initialiser.communesFile = communes }
            let period = try options.value("--periode").map(Self.period)
            try options.finish()
            let report = try initialiser.run(folder: folder, siren: sirens[0], period: period)
            standardOutput("Projet créé : \(report.folder) pour \(report.epciName), \(French.count(report.communes, "commune")), \(French.integer(report.population)) habitants (population municipale \(report.populationVintage)), plan \(report.years.lowerBound)-\(report.years.upperBound).")
            standardOutput("À faire : vérifier plh.yaml, répartir les communes en catégories (communes.csv), remplir objectifs.csv, importer la production (plh-bilan import sitadel), rédiger les récits ; puis plh-bilan render \(report.folder).")
            return 0
        case "import":
            guard let kind = options.positional.first else {
                throw usageError("type d'import attendu : sitadel ou agrements")
            }
            options.positional.removeFirst()
            let file = try options.single("FICHIER")
            guard let project = try options.value("--project") else { throw usageError("--project DOSSIER manquant") }
            let report: ImportReport
            switch kind {
            case "sitadel":
                let stage = try options.value("--stage").map { text throws(BilanError) -> SitadelImporter.Stage in
                    guard let stage = SitadelImporter.Stage(rawValue: normalisedName(text).replacingOccurrences(of: "livres", with: "acheves")) else {
                        throw usageError("--stage : « \(text) » inconnu", hint: "autorises, commences ou acheves")
                    }
                    return stage
                }
                try options.finish()
                report = try SitadelImporter(projectFolder: project).run(file: file, stage: stage)
            case "agrements":
                guard let mapping = try options.value("--mapping") else {
                    throw usageError("--mapping CORRESPONDANCE.yaml manquant", hint: "voir l'exemple examples/agrements-correspondance.yaml")
                }
                try options.finish()
                report = try ApprovalImporter(projectFolder: project).run(file: file, mapping: mapping)
            default:
                throw usageError("import « \(kind) » inconnu", hint: suggestion(for: kind, among: ["sitadel", "agrements"]) ?? "sitadel ou agrements")
            }
            printWarnings(report.notes)
            for line in report.summary { standardOutput(line) }
            return 0
        case "check":
            let project = try options.single("DOSSIER_PROJET")
            let strict = options.flag("--strict")
            let templates = try options.value("--templates")
            try options.finish()
            let generator = try BilanGenerator(projectFolder: project, templates: templates)
            let loaded = try generator.load()
            printWarnings(loaded.warnings)
            if strict && !loaded.warnings.isEmpty {
                standardError("\(French.count(loaded.warnings.count, "avertissement")) : refusé avec --strict.")
                return FailureKind.input.exitCode
            }
            _ = try generator.render(loaded.project, Achievement(project: loaded.project))
            standardOutput("Projet valide : \(loaded.project.communes.count) communes, \(loaded.project.production.count) lignes de production.")
            return 0
        case "constats":
            let project = try options.single("DOSSIER_PROJET")
            try options.finish()
            let loaded = try ProjectLoader(folder: ProjectFolder(project)).load()
            printWarnings(loaded.warnings)
            let settings = loaded.project.findingSettings
            let findings = Achievement(project: loaded.project).findings(settings: settings)
            for unit in ["EPCI"] + loaded.project.categories.map(\.code) {
                for finding in findings[unit] ?? [] {
                    standardOutput("\(finding.id)\n  \(FindingText.text(finding, settings: settings))")
                }
            }
            return 0
        case "package":
            let draft = options.flag("--brouillon")
            let (generator, output, pdf) = try projectCommand(&options)
            let result = try generator.package(into: output, pdf: pdf, draft: draft)
            printWarnings(result.warnings)
            standardOutput("\(result.isDraft ? "Brouillon (bilan incomplet) écrit" : "Archive écrite") : \(result.archive) (\(result.files.count) fichiers)")
            standardOutput("SHA-256 : \(result.sha256)")
            return 0
        case "verify":
            let archive = try options.single("ARCHIVE.zip")
            try options.finish()
            let report = try ArchiveVerifier().verify(archive)
            if report.isValid {
                standardOutput("Archive conforme à son manifeste : \(report.checkedFiles) fichiers vérifiés.")
                return 0
            }
            for problem in report.problems { standardError("\(archive) : \(problem)") }
            standardError("\(French.count(report.problems.count, "problème")) : l'archive ne correspond pas à son manifeste.")
            return FailureKind.input.exitCode
        case "batch":
            let input = try options.single("ENTREE")
            var batch = BatchOptions()
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
            batch.settings = settings
            let quiet = options.flag("--quiet")
            try options.finish()
            let progress = quiet ? nil : ProgressDisplay(write: standardError)
            let report = try BatchRunner(input: input, options: batch).run { done, total in progress?.update(done, total) }
            progress?.finish()
            if !report.phases.isEmpty {
                standardError("temps : " + report.phases.map { "\($0.name) \(Int(($0.seconds * 1000).rounded())) ms" }.joined(separator: " · "))
            }
            printWarnings(report.warnings)
            for r in report.results where r.status == .failed {
                standardError("EPCI \(r.siren.isEmpty ? r.name : "\(r.siren) \(r.name)") non rendu :")
                for d in r.diagnostics.prefix(3) { standardError("  " + d.description.replacingOccurrences(of: "\n", with: "\n  ")) }
                if r.diagnostics.count > 3 { standardError("  … et \(r.diagnostics.count - 3) autres, voir \(BatchRunner.reportFile)") }
            }
            let total = report.results.count
            var parts = ["\(French.integer(report.rendered)) rendu\(report.rendered > 1 ? "s" : "")"]
            if report.unchanged > 0 { parts.append("\(French.integer(report.unchanged)) inchangé\(report.unchanged > 1 ? "s" : "")") }
            if report.failed > 0 { parts.append("\(French.integer(report.failed)) en erreur") }
            if !quiet || report.failed > 0 {
                standardOutput("\(French.integer(total)) EPCI : \(parts.joined(separator: ", ")). Synthèse : \(batch.output)/\(BatchRunner.synthesisFolder)/synthese.html ; rapport : \(batch.output)/\(BatchRunner.reportFile)")
            }
            return report.failed > 0 ? FailureKind.input.exitCode : 0
        case "chiffres":
            let project = try options.single("DOSSIER_PROJET")
            try options.finish()
            let loaded = try ProjectLoader(folder: ProjectFolder(project)).load()
            let model = ViewModel(project: loaded.project, achievement: Achievement(project: loaded.project))
            for (name, value) in model.figures.names { standardOutput("{{\(name)}}\t\(value)") }
            return 0
        case "templates":
            if options.positional.first == "reference" {
                options.positional.removeFirst()
                try options.finish()
                standardOutput(TemplateReference.markdown())
                return 0
            }
            guard options.positional.first == "export" else {
                throw usageError("sous-commande de « templates » attendue : export ou reference")
            }
            options.positional.removeFirst()
            let folder = try options.single("DOSSIER")
            try options.finish()
            let written = try TemplateSet.exportDefaults(to: URL(fileURLWithPath: folder))
            standardOutput("\(written.count) gabarits écrits dans \(folder) : \(written.joined(separator: ", "))")
            return 0
        default:
            throw usageError("commande « \(command) » inconnue",
                             hint: suggestion(for: command, among: ["init", "import", "render", "package", "verify", "batch", "check", "chiffres", "constats", "templates"]))
        }
    }

    /// `2020-2025`, the years of a plan.
    static func period(_ text: String) throws(BilanError) -> ClosedRange<Int> {
        let bounds = text.split(separator: "-").map { Int($0) }
        guard bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b, a >= 1900, b <= 2200 else {
            throw usageError("--periode : « \(text) » n'est pas une période", hint: "écrivez par exemple --periode 2020-2025")
        }
        return a...b
    }

    /// The arguments `render` and `package` share: the project, `--output`, `--templates`, `--pdf`.
    func projectCommand(_ options: inout Options) throws(BilanError) -> (BilanGenerator, output: String, pdf: Bool) {
        let project = try options.single("DOSSIER_PROJET")
        let output = try options.value("--output") ?? "output"
        let templates = try options.value("--templates")
        let pdf = options.flag("--pdf")
        try options.finish()
        return (try BilanGenerator(projectFolder: project, templates: templates, settings: settings), output, pdf)
    }

    func printWarnings(_ warnings: [Diagnostic]) {
        for warning in warnings { standardError(warning.description) }
    }

    func report(_ error: BilanError) {
        standardError(error.description)
        let errors = error.errorCount
        switch error.kind {
        case .input: standardError("\(French.count(errors, "erreur")) dans les données du projet : rien n'a été écrit.")
        case .template: standardError("\(French.count(errors, "erreur")) dans les gabarits : rien n'a été écrit.")
        case .usage: standardError("Aide : plh-bilan --help")
        case .output, .missingTool, .internal: break
        }
    }
}

func usageError(_ message: String, hint: String? = nil) -> BilanError {
    BilanError(.usage, at: nil, message, hint: hint)
}

/// Arguments split into positionals and `--name value` options, consumed by the command.
struct Options {
    var positional: [String] = []
    var named: [String: String] = [:]
    var repeated: [String: [String]] = [:]
    var flags: Set<String> = []
    static let valued: Set<String> = ["--output", "--templates", "--jobs", "--communes", "--periode", "--project", "--stage", "--mapping"]
    /// Options that may be given several times, or with several values separated by commas.
    static let multiple: Set<String> = ["--dept", "--epci"]
    static let boolean: Set<String> = ["--strict", "--pdf", "--force", "--package", "--quiet", "--brouillon"]

    init(_ arguments: [String]) throws(BilanError) {
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument.hasPrefix("--") {
                var name = argument, inline: String?
                if let eq = argument.firstIndex(of: "=") {
                    name = String(argument[..<eq]); inline = String(argument[argument.index(after: eq)...])
                }
                if Self.boolean.contains(name) {
                    flags.insert(name)
                } else if Self.multiple.contains(name) {
                    let value: String
                    if let inline { value = inline } else {
                        guard i + 1 < arguments.count else { throw usageError("l'option \(name) attend une valeur") }
                        i += 1
                        value = arguments[i]
                    }
                    repeated[name, default: []] += value.split(separator: ",").map(String.init)
                } else if Self.valued.contains(name) {
                    if named[name] != nil { throw usageError("option \(name) donnée deux fois") }
                    if let inline { named[name] = inline } else {
                        guard i + 1 < arguments.count else { throw usageError("l'option \(name) attend une valeur") }
                        i += 1
                        named[name] = arguments[i]
                    }
                } else if name != "--help" {
                    throw usageError("option « \(name) » inconnue",
                                     hint: suggestion(for: name, among: Array(Self.valued) + Array(Self.boolean) + Array(Self.multiple)))
                } else {
                    positional.insert("--help", at: 0)
                }
            } else {
                positional.append(argument)
            }
            i += 1
        }
    }

    mutating func value(_ name: String) throws(BilanError) -> String? {
        guard let value = named.removeValue(forKey: name) else { return nil }
        if value.isEmpty { throw usageError("l'option \(name) attend une valeur non vide") }
        return value
    }

    mutating func flag(_ name: String) -> Bool { flags.remove(name) != nil }

    mutating func values(_ name: String) -> [String] { repeated.removeValue(forKey: name) ?? [] }

    mutating func single(_ what: String) throws(BilanError) -> String {
        guard !positional.isEmpty else { throw usageError("\(what) manquant") }
        return positional.removeFirst()
    }

    func finish() throws(BilanError) {
        if let extra = positional.first { throw usageError("argument « \(extra) » en trop") }
        if let extra = named.keys.sorted().first ?? flags.sorted().first ?? repeated.keys.sorted().first {
            throw usageError("option \(extra) sans effet pour cette commande")
        }
    }
}
