import Foundation
import PLHBilan

/// `plh-bilan.1`, the manual page, written from the commands' own help (`plh-bilan help --man`), so that
/// the page installed by the Debian package says what `--help` says.
public enum ManPage {
    /// The page in roff (man macros), UTF-8; `date` is its « 2026-12-03 » line (the build's, for a reproducible package).
    public static func roff(date: String) -> String {
        var out: [String] = []
        out.append(".\\\" Produit par plh-bilan help --man, à partir de l'aide des commandes : ne pas modifier à la main.")
        out.append(".TH PLH\\-BILAN 1 \(quoted(date)) \(quoted(ViewModel.generator)) \(quoted("Commandes de l'utilisateur"))")
        out += [".SH NOM", "plh\\-bilan \\- bilans de programme local de l'habitat (PLH)"]
        out += [".SH SYNOPSIS", ".nf"]
        for command in CommandLineTool.commands {
            for help in command.help.all where !help.synopsis.isEmpty {
                out += help.usageLines.map(text)
            }
        }
        out += ["plh\\-bilan \\-\\-version", ".fi"]
        out += [".SH DESCRIPTION",
                text("plh-bilan produit les bilans (annuel, triennal, final) d'un programme local de l'habitat : "
                     + "le document HTML ou PDF, ses annexes CSV et tableur, l'archive de dépôt vérifiable pour le CRHH, "
                     + "et les bilans de tous les EPCI d'un département ou de la France en un lot. "
                     + "plh-bilan serve ouvre la même chose dans un navigateur, pour les agents des EPCI, le CRHH et le département."),
                ".PP",
                text("Chaque commande a son aide, avec des exemples : plh-bilan help COMMANDE, ou plh-bilan COMMANDE --help.")]
        out.append(".SH COMMANDES")
        for command in CommandLineTool.commands {
            for help in command.help.all {
                out += section(help)
            }
        }
        out += [".SH \"CODES DE SORTIE\""]
        out += CommandLineTool.exitCodes.split(separator: "\n").map { text(String($0)) }
        out += [".SH FICHIERS",
                ".TP", "\\fI/usr/share/plh\\-bilan/\\fR", text("gabarits par défaut, pages de l'application web et données de référence (DGCL, COG) du paquet."),
                ".TP", "\\fI/etc/default/plh\\-bilan\\fR", text("adresse et port d'écoute du service plh-bilan.service."),
                ".TP", "\\fI/var/lib/plh\\-bilan/\\fR", text("données de l'application web servie par plh-bilan.service (comptes, projets) ; gardées quand le paquet est retiré."),
                ".SH \"VOIR AUSSI\"", "\\fBsystemctl\\fR(1), \\fBchromium\\fR(1)"]
        return out.joined(separator: "\n") + "\n"
    }

    /// One command's section: usage, description, arguments, options, examples.
    static func section(_ help: CommandHelp) -> [String] {
        var out = [".SS \(quoted("plh-bilan " + help.name))", text(help.summary)]
        if !help.synopsis.isEmpty {
            out += [".PP", ".nf"] + help.usageLines.map(text) + [".fi"]
        }
        for paragraph in help.description { out += [".PP", text(paragraph)] }
        if !help.arguments.isEmpty {
            out += [".PP", "Arguments :"]
            for argument in help.arguments { out += [".TP", "\\fI\(escape(argument.name))\\fR", text(argument.text)] }
        }
        if !help.options.isEmpty {
            out += [".PP", "Options :"]
            for option in help.options {
                let term: String
                switch option.kind {
                case .flag: term = "\\fB\(escape(option.name))\\fR"
                case .value(let placeholder), .values(let placeholder): term = "\\fB\(escape(option.name))\\fR \\fI\(escape(placeholder))\\fR"
                }
                out += [".TP", term, text(option.text)]
            }
        }
        if !help.examples.isEmpty {
            out += [".PP", help.examples.count == 1 ? "Exemple :" : "Exemples :"]
            for example in help.examples {
                out += [".TP", "\\fB\(escape(example.command))\\fR", text(example.text.isEmpty ? "\u{2014}" : example.text)]
            }
        }
        return out
    }

    /// A line of running text: escaped, and never read as a request even when it starts with `.` or `'`.
    static func text(_ line: String) -> String {
        let escaped = escape(line)
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    /// Backslashes and hyphens as roff wants them (`\-` is the ASCII hyphen-minus a command line needs).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    }

    static func quoted(_ text: String) -> String {
        "\"" + escape(text).replacingOccurrences(of: "\"", with: "\\(dq") + "\""
    }
}
