import Dispatch
import Foundation
import PLHBilan
import PLHServer

/// `plh-bilan backup`: one archive of the web application's data, taken while the server runs.
struct BackupCommand: Command {
    let help = CommandHelp(
        path: ["backup"],
        summary: "Sauvegarde les données de l'application web (base et projets) dans une archive, serveur en marche.",
        synopsis: ["--data DOSSIER FICHIER [--remplacer]"],
        description: [
            "L'archive (zip) contient une copie cohérente de la base (plh-bilan.sqlite, prise par SQLite en une seule lecture) "
                + "et les versions des projets qu'elle connaît (projets/<id>/<n>/). Elle n'apparaît qu'une fois complète. "
                + "Pour restaurer : arrêtez le serveur, décompressez l'archive dans un dossier de données vide, relancez "
                + "plh-bilan serve --data sur ce dossier.",
        ],
        arguments: [HelpItem("FICHIER", "l'archive à écrire, par exemple sauvegarde-2026-12-02.zip")],
        options: [
            OptionHelp("--data", .value("DOSSIER"), "le dossier de données du serveur (par défaut : donnees-web)"),
            OptionHelp("--remplacer", .flag, "remplace l'archive si elle existe déjà (sinon elle est refusée)"),
        ],
        examples: [
            HelpExample("plh-bilan backup --data /srv/plh-bilan /sauvegardes/plh-bilan.zip",
                        "écrit la sauvegarde des données de /srv/plh-bilan"),
        ])

    func run(_ options: inout Options, _ tool: CommandLineTool) throws(BilanError) -> Int32 {
        let data = try options.value("--data") ?? "donnees-web"
        let replace = options.flag("--remplacer")
        let file = try options.single("FICHIER")
        try options.finish()
        final class Result: @unchecked Sendable {
            var report: Backup.Report?
            var failure: (String, String?)?
        }
        let result = Result()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            do {
                result.report = try await Backup.write(dataFolder: data, to: file, replace: replace)
            } catch let failure as Backup.Failure {
                result.failure = (failure.description, failure.hint)
            } catch {
                result.failure = ("\(file) : la sauvegarde a échoué : \(error)", nil)
            }
            semaphore.signal()
        }
        semaphore.wait()
        if let (message, hint) = result.failure {
            throw BilanError(.output, at: nil, message, hint: hint)
        }
        if let report = result.report {
            tool.standardOutput("Sauvegarde écrite : \(file) (\(French.count(report.projects, "projet")), "
                                + "\(French.count(report.versions, "version")), \(French.count(report.files, "fichier")) de projet)")
        }
        return 0
    }
}
