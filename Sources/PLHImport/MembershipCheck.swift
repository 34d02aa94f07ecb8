import Foundation
import PLHBase
import PLHLoad
import PLHModel

/// Compares a project's communes with the DGCL file shipped with PLH Bilan: a member commune left out of
/// `communes.csv`, or a commune listed there that is not a member of the EPCI, is worth a warning.
public struct MembershipCheck {
    /// The DGCL file to compare with: the shipped one unless told otherwise.
    public var dgclFile: String? = nil

    public init() {}

    /// Warnings about `project`'s communes, located in its communes file (`communesFile`, as shown to the user).
    public func warnings(for project: Project, communesFile: String) throws(BilanError) -> [Diagnostic] {
        let bytes = try ProjectFolder.readFile(atPath: try ReferenceData.file(dgclFile.map { URL(fileURLWithPath: $0) }, orShipped: ReferenceData.dgclCommunes).path, display: "epcicom2026_dgcl.csv")
        var members: [(code: String, name: String)] = []
        var epciOf: [String: String] = [:]
        var epciNames: [String: String] = [:]
        var diagnostics = Diagnostics()
        let table = try DGCLTable.read(bytes, path: "epcicom2026_dgcl.csv", diagnostics: &diagnostics) { row in
            epciOf[row.code] = row.siren
            epciNames[row.siren] = row.epciName
            if row.siren == project.epci.siren { members.append((row.code, row.name)) }
        }
        let file = "la liste DGCL des EPCI livrée avec PLH Bilan (populations \(table.vintage))"
        let at = SourceLocation(path: communesFile)
        guard !members.isEmpty else {
            return [Diagnostic(.warning, at: at, "le SIREN \(project.epci.siren) n'est pas celui d'un EPCI de \(file)",
                               hint: "vérifiez epci.siren dans plh.yaml ; un EPCI fusionné depuis garde parfois son ancien SIREN")]
        }
        var warnings: [Diagnostic] = []
        let listed = Set(project.communes.map(\.code))
        let missing = members.filter { !listed.contains($0.code) }
        if !missing.isEmpty {
            warnings.append(Diagnostic(.warning, at: at,
                                       "\(missing.count > 1 ? "\(French.integer(missing.count)) communes membres de l'EPCI manquent" : "une commune membre de l'EPCI manque") au fichier des communes selon \(file) : \(frenchEnumeration(missing.map { "\($0.name) (\($0.code))" }))",
                                       hint: missing.count > 1 ? "ajoutez ces communes avec leur population et leur catégorie, ou vérifiez le périmètre de l'EPCI à la date du bilan"
                                           : "ajoutez cette commune avec sa population et sa catégorie, ou vérifiez le périmètre de l'EPCI à la date du bilan"))
        }
        let memberCodes = Set(members.map(\.code))
        let strangers = project.communes.filter { !memberCodes.contains($0.code) }
        if !strangers.isEmpty {
            let described = strangers.map { commune -> String in
                let other = epciOf[commune.code].flatMap { epciNames[$0] }
                return "\(commune.name) (\(commune.code)\(other.map { ", membre de \($0)" } ?? ", inconnue de ce fichier"))"
            }
            warnings.append(Diagnostic(.warning, at: at,
                                       "\(strangers.count > 1 ? "\(French.integer(strangers.count)) communes du fichier des communes ne sont pas membres" : "une commune du fichier des communes n'est pas membre") de l'EPCI selon \(file) : \(frenchEnumeration(described))",
                                       hint: "retirez-\(strangers.count > 1 ? "les" : "la") si c'est une erreur ; une commune ancienne ou fusionnée garde parfois son code dans d'autres fichiers"))
        }
        return warnings
    }
}
