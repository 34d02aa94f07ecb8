import Foundation
import PLHBilan

/// `plh-bilan templates export|reference`: the default templates, and the names they may use.
struct TemplatesCommand: Command {
    static let export = CommandHelp(
        path: ["templates", "export"],
        summary: "Écrit les gabarits par défaut dans DOSSIER, pour les modifier.",
        synopsis: ["DOSSIER [--force]"],
        description: [
            "Un gabarit déjà présent dans DOSSIER et différent de celui par défaut (un gabarit modifié) n'est remplacé "
                + "qu'avec --force : sans, rien n'est écrit et les fichiers concernés sont listés (code 4). "
                + "Les fichiers identiques aux gabarits par défaut sont laissés tels quels.",
        ],
        arguments: [HelpItem("DOSSIER", "le dossier où écrire les gabarits, par exemple le dossier gabarits du projet")],
        options: [OptionHelp("--force", .flag, "remplace aussi les gabarits modifiés par ceux par défaut")],
        examples: [
            HelpExample("plh-bilan templates export mon-plh/gabarits", "écrit les gabarits par défaut dans le projet, qui les utilisera à la place"),
        ])

    static let reference = CommandHelp(
        path: ["templates", "reference"],
        summary: "Affiche la liste des noms utilisables dans les gabarits (Markdown).",
        synopsis: [""],
        description: ["C'est le contenu de docs/gabarits.md : chaque nom, son type et sa description."],
        examples: [HelpExample("plh-bilan templates reference > gabarits.md", "écrit la référence des gabarits dans gabarits.md")])

    let help = CommandHelp(
        path: ["templates"],
        summary: "Les gabarits du bilan : les exporter pour les modifier, ou lister les noms qu'ils peuvent utiliser.",
        synopsis: [],
        examples: [
            HelpExample("plh-bilan templates export mon-plh/gabarits", "exporte les gabarits par défaut"),
            HelpExample("plh-bilan templates reference", "liste les noms utilisables dans les gabarits"),
        ],
        subcommands: [export, reference])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        if options.positional.first == "reference" {
            options.positional.removeFirst()
            try options.finish()
            tool.standardOutput(TemplateReference.markdown())
            return 0
        }
        guard options.positional.first == "export" else {
            let hint = options.positional.first.flatMap { suggestion(for: $0, among: ["export", "reference"]) }
            throw usageError("sous-commande de « templates » attendue : export ou reference", hint: hint)
        }
        options.positional.removeFirst()
        let folder = try options.single("DOSSIER")
        let force = options.flag("--force")
        try options.finish()
        let export = try TemplateSet.exportDefaults(to: URL(fileURLWithPath: folder), display: folder, force: force)
        var message = "\(French.count(export.written.count, "gabarit écrit", "gabarits écrits")) dans \(folder)"
        if !export.written.isEmpty { message += " : \(export.written.joined(separator: ", "))" }
        if !export.unchanged.isEmpty {
            message += " ; \(French.count(export.unchanged.count, "gabarit déjà identique", "gabarits déjà identiques")) à celui par défaut, laissé\(export.unchanged.count > 1 ? "s" : "") tel\(export.unchanged.count > 1 ? "s" : "")"
        }
        tool.standardOutput(message + ".")
        return 0
    }
}
