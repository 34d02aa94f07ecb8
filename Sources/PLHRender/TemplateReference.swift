import Foundation

/// The reference of every name templates can use, in Markdown, generated from `ViewModelSchema`.

public enum TemplateReference {
    public static func markdown() -> String {
        var lines = [
            "# Noms disponibles dans les gabarits",
            "",
            "Fichier produit par `plh-bilan templates reference` à partir du schéma du modèle de vue",
            "(`Sources/PLHRender/ViewModelSchema.swift`) ; un test vérifie qu'il est à jour.",
            "",
            "Tous les nombres, taux et dates sont des textes déjà mis en forme à la française.",
            "Un texte s'insère avec `{{nom}}` (échappé), un fragment HTML avec `{{{nom}}}`, une condition",
            "ou une liste s'ouvre avec `{{#nom}}` … `{{/nom}}` (et `{{^nom}}` … `{{/nom}}` pour « sinon »).",
            "Un nom inconnu, ou employé avec la mauvaise forme, arrête le rendu avec le fichier et la ligne.",
            "",
            "| nom | forme | contenu |",
            "|---|---|---|",
        ]
        func walk(_ fields: [TemplateField], prefix: String) {
            for field in fields {
                let name = prefix + field.name
                lines.append("| `\(name)` | \(field.shape.kindName) | \(field.doc.replacingOccurrences(of: "|", with: "\\|")) |")
                if let children = field.shape.fields {
                    let inner: String
                    if case .list = field.shape { inner = "\(name)[]." } else { inner = "\(name)." }
                    walk(children, prefix: inner)
                }
            }
        }
        walk(ViewModelSchema.root, prefix: "")
        lines += [
            "",
            "## La synthèse d'un lot (`synthese.mustache`)",
            "",
            "Le document de comparaison écrit par `plh-bilan batch` dans `synthese/synthese.html` ; ses gabarits",
            "partiels sont `synthese-groupe`, `synthese-entete` et `synthese-ligne`, avec `styles` et `graphique`.",
            "",
            "| nom | forme | contenu |",
            "|---|---|---|",
        ]
        walk(SynthesisSchema.root, prefix: "")
        lines += [
            "",
            "`nom[].champ` désigne un champ de chaque élément de la liste `nom` : dans `{{#nom}}` … `{{/nom}}`,",
            "on l'écrit `{{champ}}`. Les gabarits partiels s'incluent avec `{{>nom_du_fichier}}` ; un gabarit ne",
            "peut pas s'inclure lui-même, ni directement ni par un autre (erreur, code de sortie 3).",
            "",
            "Les documents par défaut (`bilan`, `synthese`) portent une politique de sécurité",
            "(`<meta http-equiv=\"Content-Security-Policy\" …>`) qui n'autorise que les styles intégrés et les",
            "images `data:` : un gabarit qui les remplace devrait la garder, pour que le document ne fasse aucun appel réseau.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
