import PLHModel
import Yams

/// Reads a YAML file as located nodes, so that every complaint names its line and column.
package struct YAMLReader {
    package let path: String

    package init(path: String) { self.path = path }

    /// Parses `text`; a syntax error becomes a located French diagnostic.
    package func root(_ text: String) throws(BilanError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw BilanError(.input, [describe(error)])
        } catch {
            throw BilanError(.input, at: SourceLocation(path: path), "YAML illisible : \(error)")
        }
    }

    private func describe(_ error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return Diagnostic(at: SourceLocation(path: path, line: mark.line, column: mark.column),
                              "YAML invalide : \(Self.french(problem))",
                              hint: "vérifiez l'indentation (des espaces, pas de tabulations) et les « : » de cette ligne et de la précédente")
        default:
            return Diagnostic(at: SourceLocation(path: path), "YAML invalide : \(error)")
        }
    }

    /// libyaml's messages, in French where we know them.
    static func french(_ problem: String) -> String {
        let known: [String: String] = [
            "mapping values are not allowed in this context": "« : » inattendu (une valeur contenant « : » doit être entre guillemets)",
            "did not find expected key": "clé attendue introuvable (indentation incohérente ?)",
            "found character that cannot start any token": "caractère qui ne peut commencer aucune valeur (une tabulation ?)",
            "found unexpected end of stream": "fin de fichier inattendue (guillemet non refermé ?)",
            "found undefined alias": "alias non défini",
            "did not find expected '-' indicator": "« - » attendu (liste mal indentée)",
            "found unknown escape character": "séquence d'échappement inconnue entre guillemets",
            "did not find expected node content": "valeur attendue introuvable",
            "could not find expected ':'": "« : » attendu après la clé",
            "found a tab character that violates indentation": "tabulation dans l'indentation : utilisez des espaces",
            "found duplicate key": "clé en double",
        ]
        return known[problem] ?? problem
    }

    package func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, line: node.mark?.line, column: node.mark?.column)
    }

    /// The text of a scalar, or an error saying what was expected.
    package func string(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let scalar = node.scalar else {
            diagnostics.error(at: location(node), "\(what) : un texte est attendu, pas \(node.mapping != nil ? "une liste de clés" : "une liste")")
            return nil
        }
        let text = trimmed(scalar.string)
        if text.isEmpty || (scalar.style == .plain && ["~", "null"].contains(text)) {
            diagnostics.error(at: location(node), "\(what) : valeur vide")
            return nil
        }
        return text
    }

    package func int(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let text = string(node, what, &diagnostics) else { return nil }
        let digits = text.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        guard let value = Int(digits), value >= 0 else {
            diagnostics.error(at: location(node), "\(what) : « \(text) » n'est pas un nombre entier positif")
            return nil
        }
        return value
    }

    package func year(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let value = int(node, what, &diagnostics) else { return nil }
        guard (1900...2200).contains(value) else {
            diagnostics.error(at: location(node), "\(what) : « \(value) » n'est pas une année plausible", hint: "une année s'écrit sur quatre chiffres, par exemple 2019")
            return nil
        }
        return value
    }

    package func date(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> CalendarDate? {
        guard let text = string(node, what, &diagnostics) else { return nil }
        guard let date = CalendarDate(parsing: text) else {
            diagnostics.error(at: location(node), "\(what) : « \(text) » n'est pas une date",
                              hint: "écrivez la date sous la forme 2019-06-25 ou 25/06/2019, et vérifiez que ce jour existe")
            return nil
        }
        return date
    }

    package func bool(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> Bool? {
        guard let text = string(node, what, &diagnostics) else { return nil }
        switch normalisedName(text) {
        case "true", "oui", "vrai", "yes": return true
        case "false", "non", "faux", "no": return false
        default:
            diagnostics.error(at: location(node), "\(what) : « \(text) » n'est ni oui ni non", hint: "écrivez oui ou non")
            return nil
        }
    }

    /// A mapping whose keys are checked against `known`; unknown keys are errors with a suggestion.
    package func mapping(_ node: Node, _ what: String, known: [String], required: [String] = [],
                 _ diagnostics: inout Diagnostics) -> YAMLMapping? {
        guard let mapping = node.mapping else {
            diagnostics.error(at: location(node), "\(what) : une liste de clés (« clé: valeur ») est attendue")
            return nil
        }
        var values: [String: Node] = [:]
        var suggested: Set<String> = []
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            if !known.contains(key) {
                let close = nearest(key, among: known)
                suggested.formUnion(close)
                diagnostics.error(at: location(keyNode), "clé « \(key) » inconnue dans \(what)",
                                  hint: close.isEmpty ? "clés possibles : \(known.joined(separator: ", "))"
                                                      : "vouliez-vous dire \(frenchList(close)) ?")
            } else {
                values[key] = value
            }
        }
        // A missing key already offered as the fix of a misspelt one is not reported twice.
        for key in required where values[key] == nil && !suggested.contains(key) {
            diagnostics.error(at: location(node), "clé obligatoire « \(key) » absente de \(what)")
        }
        return YAMLMapping(node: node, values: values)
    }

    package func sequence(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> [Node] {
        guard let sequence = node.sequence else {
            diagnostics.error(at: location(node), "\(what) : une liste (lignes commençant par « - ») est attendue")
            return []
        }
        return Array(sequence)
    }
}

/// A checked YAML mapping: its known keys and values.
package struct YAMLMapping {
    package let node: Node
    package let values: [String: Node]

    package subscript(_ key: String) -> Node? { values[key] }
}
