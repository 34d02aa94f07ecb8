import Foundation
import PLHBase
import PLHModel
import PLHRender

/// The CRHH submission archive: the bilan, its annexes, the inputs as used, a manifest of every file with
/// its size and SHA-256, and a LISEZMOI. The same inputs give the same bytes: fixed dates and permissions,
/// entries in sorted order, nothing from the host.
public struct SubmissionPackage: Sendable {
    /// One file of the archive.
    public struct File: Sendable {
        public var path: String
        public var bytes: [UInt8]
        public var description: String
    }

    public static let manifestName = "manifest.json"
    public static let readmeName = "LISEZMOI.txt"
    /// Where the project's input files go in the archive.
    public static let projectFolder = "projet"
    /// Where templates given with `--templates` go.
    public static let templatesFolder = "gabarits"

    public var files: [File]
    public let project: Project
    public let time: FixedTime
    /// What an incomplete bilan lacks, when packaged as a draft; empty otherwise.
    public let draftGaps: [String]
    public var isDraft: Bool { !draftGaps.isEmpty }

    /// Gathers the archive's files; `inputs` are the project's files (relative paths), `templates` the
    /// templates given from outside the project.
    public init(project: Project, bilan: RenderedBilan, inputs: [(path: String, bytes: [UInt8])],
                templates: [(path: String, bytes: [UInt8])], time: FixedTime) {
        self.project = project
        self.time = time
        draftGaps = bilan.isDraft ? bilan.toComplete : []
        var files = [File(path: "bilan.html", bytes: bilan.htmlBytes, description: "le bilan, à ouvrir dans un navigateur")]
        if let pdf = bilan.pdf {
            files.append(File(path: "bilan.pdf", bytes: pdf, description: "le même bilan, en PDF"))
        }
        files += bilan.annexes.map { File(path: $0.path, bytes: $0.bytes, description: "annexe : \($0.description)") }
        files += inputs.map {
            File(path: "\(Self.projectFolder)/\($0.path)", bytes: $0.bytes, description: "fichier d'entrée du projet, tel qu'utilisé")
        }
        files += templates.map {
            File(path: "\(Self.templatesFolder)/\($0.path)", bytes: $0.bytes, description: "gabarit donné avec --templates")
        }
        files.append(File(path: Self.readmeName, bytes: [], description: "ce fichier"))
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        self.files = files
        if let readme = files.firstIndex(where: { $0.path == Self.readmeName }) {
            self.files[readme].bytes = Array(readmeText(files).utf8)
        }
    }

    /// The archive's bytes: every file deflated, the manifest among them, in sorted order.
    public func archive() throws(BilanError) -> [UInt8] {
        let manifest = File(path: Self.manifestName, bytes: Array(manifestJSON().utf8), description: "")
        let entries = (files + [manifest]).sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var zip = ZipWriter(time: time)
        do {
            for file in entries { try zip.add(path: file.path, contents: file.bytes) }
            return try zip.finish()
        } catch {
            throw BilanError(.internal, at: nil, "écriture de l'archive impossible : \(error)")
        }
    }

    /// `manifest.json`: the generator, the bilan's identity, and every other file with its size and SHA-256.
    public func manifestJSON() -> String {
        let p = project
        var lines = ["{"]
        // A draft says so, with what it lacks; a complete bilan's manifest has neither key.
        if isDraft {
            lines.append("  \"a_completer\": [")
            lines.append(draftGaps.map { "    \(json($0))" }.joined(separator: ",\n"))
            lines.append("  ],")
        }
        lines.append("  \"bilan\": {")
        var bilan = [
            "    \"annees\": [\(p.bilan.countedYears.map(String.init).joined(separator: ", "))]",
            "    \"date\": \(json(p.bilan.date.iso8601))",
        ]
        if let d = p.bilan.instanceDate { bilan.append("    \"date_instance\": \(json(d.iso8601))") }
        if let i = p.bilan.instance { bilan.append("    \"instance\": \(json(i))") }
        bilan.append("    \"stade\": \(json(p.bilan.stage.rawValue))")
        bilan.append("    \"type\": \(json(p.bilan.kind.rawValue))")
        lines.append(bilan.joined(separator: ",\n"))
        lines.append("  },")
        if isDraft { lines.append("  \"brouillon\": true,") }
        lines.append("  \"epci\": {\n    \"nom\": \(json(p.epci.name)),\n    \"siren\": \(json(p.epci.siren))\n  },")
        lines.append("  \"fichiers\": [")
        lines.append(files.map { f in
            "    {\"chemin\": \(json(f.path)), \"octets\": \(f.bytes.count), \"sha256\": \(json(SHA256.hex(f.bytes)))}"
        }.joined(separator: ",\n"))
        lines.append("  ],")
        lines.append("  \"generateur\": {\n    \"nom\": \"PLH Bilan\",\n    \"version\": \(json(ViewModel.version))\n  },")
        lines.append("  \"plh\": {\n    \"derniere_annee\": \(p.plan.years.upperBound),\n    \"nom\": \(json(p.plan.name)),\n    \"premiere_annee\": \(p.plan.years.lowerBound)\n  },")
        // The imported files the data come from (sources.csv), as recorded on import.
        lines.append("  \"sources\": [")
        lines.append(p.sources.map { r in
            var fields = ["\"identifiant\": \(json(r.identifier))", "\"type\": \(json(r.kind.rawValue))", "\"fichier\": \(json(r.file))",
                          "\"sha256\": \(json(r.sha256))", "\"date_import\": \(json(r.importDate.iso8601))"]
            if let stage = r.stage { fields.append("\"stade\": \(json(stage.code))") }
            fields += ["\"lignes_lues\": \(r.rowsRead)", "\"lignes_retenues\": \(r.rowsKept)", "\"hors_epci\": \(r.outsideEPCI)",
                       "\"hors_periode\": \(r.outsidePeriod)"]
            return "    {" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ",\n"))
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    func readmeText(_ files: [File]) -> String {
        let p = project
        let width = (files.map(\.path.count) + [Self.manifestName.count]).max()! + 2
        func row(_ path: String, _ text: String) -> String {
            "  " + path + String(repeating: " ", count: max(1, width - path.count)) + text
        }
        var lines = isDraft ? ["BROUILLON — document incomplet, à ne pas déposer en l'état. Il manque :"]
            + draftGaps.map { "  - \($0)" } + [""] : []
        lines += [
            "Dossier de dépôt : \(French.kind(p.bilan.kind)) du \(p.plan.name)",
            "\(p.epci.name) (SIREN \(p.epci.siren))",
            "Bilan du \(French.date(p.bilan.date)), \(French.stage(p.bilan.stage)) en \(French.list(p.bilan.countedYears.map(String.init)))",
            "",
            "Contenu de l'archive :",
        ]
        lines += files.map { row($0.path, $0.description) }
        lines.append(row(Self.manifestName, "la liste des autres fichiers, avec leur taille et leur empreinte SHA-256"))
        lines += [
            "",
            "Vérifier que rien n'a changé : plh-bilan verify ARCHIVE.zip",
            "Régénérer le bilan à partir des fichiers d'entrée : plh-bilan render \(Self.projectFolder)"
                + (files.contains { $0.path.hasPrefix(Self.templatesFolder + "/") } ? " --templates \(Self.templatesFolder)" : ""),
            "",
            "Produit par PLH Bilan \(ViewModel.version).",
        ]
        // Names come from the project's files: no control character reaches a terminal showing this file.
        return (lines.joined(separator: "\n") + "\n").withoutControlCharacters
    }
}

/// A JSON string literal.
func json(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
