import Foundation
import PLHBase
import PLHModel
import PLHYAML

/// Reads a YAML file as located nodes, so that every complaint names its line and column.
package struct YAMLReader {
    package let path: String

    package init(path: String) { self.path = path }

    /// Parses `text`; a syntax error becomes a located French diagnostic.
    package func root(_ text: String) throws(BilanError) -> Node? {
        do {
            return try YAML.compose(text)
        } catch {
            throw BilanError(.input, [describe(error, text: text)])
        }
    }

    private func describe(_ error: YAMLError, text: String) -> Diagnostic {
        let hint = "vérifiez l'indentation (des espaces, pas de tabulations) et les « : » de cette ligne et de la précédente"
        switch error {
        case let .syntax(problem, mark):
            return Diagnostic(at: SourceLocation(path: path, line: mark.line, column: mark.column),
                              "YAML invalide : \(Self.french(problem))", hint: hint)
        case let .duplicateKey(key, first, repeated):
            return Diagnostic(at: SourceLocation(path: path, line: repeated.line, column: repeated.column),
                              "clé « \(key) » en double (déjà ligne \(first.line))",
                              hint: "une clé ne figure qu'une fois à un même niveau : gardez une seule des deux lignes")
        case let .reader(problem, offset, value):
            let place = Self.lineAndColumn(ofByte: offset, in: text)
            let character = value >= 0 && value < 0x110000 ? String(format: "U+%04X", value) : nil
            let message = problem.contains("control characters")
                ? "caractère de contrôle interdit" + (character.map { " (\($0))" } ?? "")
                : problem.contains("invalid") && problem.contains("UTF-8") || problem.contains("utf-8")
                    ? "octet qui n'est pas de l'UTF-8" : "caractère illisible" + (character.map { " (\($0))" } ?? "")
            return Diagnostic(at: SourceLocation(path: path, line: place.line, column: place.column), "YAML invalide : \(message)",
                              hint: "supprimez ce caractère invisible (souvent collé depuis un autre logiciel) et enregistrez le fichier en UTF-8")
        }
    }

    /// Line and column (from 1) of a byte offset.
    static func lineAndColumn(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
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
            YAML.secondDocument: "un seul document est attendu : retirez la ligne « --- » et ce qui la suit, ou faites-en un autre fichier",
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

    /// A whole number from 0 to `maximum`.
    package func int(_ node: Node, _ what: String, maximum: Int = Limits.objective, _ diagnostics: inout Diagnostics) -> Int? {
        guard let text = string(node, what, &diagnostics) else { return nil }
        let digits = text.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            diagnostics.error(at: location(node), "\(what) : « \(text) » n'est pas un nombre entier positif",
                              hint: "écrivez le nombre en chiffres, par exemple 1310")
            return nil
        }
        guard let value = Int(digits), value <= maximum else {
            diagnostics.error(at: location(node), "\(what) : « \(text) » hors limite : PLH Bilan lit au plus \(French.integer(maximum))",
                              hint: tooLargeHint)
            return nil
        }
        return value
    }

    package func year(_ node: Node, _ what: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let value = int(node, what, maximum: Int.max, &diagnostics) else { return nil }
        guard Limits.years.contains(value) else {
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
