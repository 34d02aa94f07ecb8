import Foundation
import PLHModel

/// Writes a project as the files of a project folder (plh.yaml and its CSV tables), so that a bilan made
/// from observatory tables can be regenerated on its own: `plh-bilan render projet`.
public enum ProjectWriter {
    /// The files, by path relative to the project folder.
    public static func files(_ p: Project) -> [(path: String, bytes: [UInt8])] {
        var yaml = ["# Projet extrait d'un observatoire par PLH Bilan \(PLHBilanVersion.current)", "epci:",
                    "  nom: \(q(p.epci.name))", "  siren: \(q(p.epci.siren))"]
        if let v = p.populationVintage { yaml.append("  population_millesime: \(q(v))") }
        yaml += ["plh:", "  nom: \(q(p.plan.name))", "  premiere_annee: \(p.plan.years.lowerBound)",
                 "  derniere_annee: \(p.plan.years.upperBound)"]
        if let o = p.plan.declaredAnnualObjective { yaml.append("  objectif_annuel: \(o)") }
        yaml += ["bilan:", "  type: \(p.bilan.kind.rawValue)", "  date: \(p.bilan.date.iso8601)",
                 "  annees: [\(p.bilan.countedYears.map(String.init).joined(separator: ", "))]", "  stade: \(p.bilan.stage.rawValue)"]
        yaml.append("categories:")
        for c in p.categories { yaml += ["  - code: \(q(c.code))", "    libelle: \(q(c.label))"] }
        yaml.append("segments:")
        for s in p.segments {
            yaml += ["  - code: \(q(s.code))", "    libelle: \(q(s.label))"]
            if let f = s.family { yaml.append("    famille: \(q(f))") }
        }
        yaml.append("orientations:")
        for o in p.orientations {
            yaml += ["  - titre: \(q(o.title))", "    bilan_production: \(o.hasProductionBilan ? "oui" : "non")"]
        }
        var communes = "code_insee;commune;population;categorie\n"
        for c in p.communes { communes += "\(c.code);\(cell(c.name));\(c.population);\(c.category)\n" }
        var objectives = "categorie;code_insee;segment;logements;periode\n"
        for o in p.objectives {
            let (category, commune): (String, String)
            switch o.scope {
            case .category(let c): (category, commune) = (c, "")
            case .commune(let c): (category, commune) = ("", c)
            }
            let n = o.dwellings == o.dwellings.rounded() ? String(Int(o.dwellings)) : String(o.dwellings).replacingOccurrences(of: ".", with: ",")
            objectives += "\(category);\(commune);\(o.segment);\(n);\(o.period == .plan ? "plan" : "an")\n"
        }
        // The largest table, written as bytes: codes and segments need no quoting (the loader checked them).
        var production = Array("code_insee;annee;segment;logements\n".utf8)
        production.reserveCapacity(production.count + p.production.count * 24)
        for r in p.production {
            production += r.commune.utf8
            production.append(0x3B)
            production += String(r.year).utf8
            production.append(0x3B)
            production += r.segment.utf8
            production.append(0x3B)
            production += String(r.dwellings).utf8
            production.append(0x0A)
        }
        return [("communes.csv", Array(communes.utf8)), ("objectifs.csv", Array(objectives.utf8)),
                ("plh.yaml", Array((yaml.joined(separator: "\n") + "\n").utf8)), ("production.csv", production)]
    }

    /// A YAML double-quoted scalar.
    static func q(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 }) else { return "\"" + text + "\"" }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func cell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3B || $0 == 0x22 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
