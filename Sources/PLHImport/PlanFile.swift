import PLHLoad
import PLHModel
import PLHYAML

/// `plh.yaml` edited key by key, on its YAML node tree, for the forms of the web application and the uploads.
///
/// The order of keys and the keys this type does not know are kept; **comments are lost** when the file is written
/// back (the node tree keeps none), and the layout becomes libyaml's (two-space indentation).
/// Values are written so that the loader reads them back as typed: numbers with leading zeros (a SIREN such as
/// `"246200364"`), dates, years, `oui`/`non`, texts with « : » or « # » are quoted where YAML would read them otherwise.
///
/// ```swift
/// var plan = try PlanFile(text: text, path: "plh.yaml")
/// plan.set(["fichiers", "production"], "production.xlsx")
/// let written = plan.text
/// ```
public struct PlanFile {
    /// The file as messages show it.
    public let path: String
    private var root: Node

    /// Parses `text`; bad YAML is a located French error. An empty file is an empty mapping.
    public init(text: String, path: String) throws(BilanError) {
        self.path = path
        let node = try YAMLReader(path: path).root(text)
        guard let node else { root = Node.mapping(Node.Mapping([])); return }
        guard node.mapping != nil else {
            throw BilanError(.input, at: SourceLocation(path: path, line: node.mark?.line, column: node.mark?.column),
                             "le fichier du projet doit être une liste de clés (« clé: valeur »)",
                             hint: "voir l'exemple examples/call-2014-2020/plh.yaml")
        }
        root = node
    }

    /// The file as YAML text (comments lost, see the type's documentation).
    public var text: String {
        YAML.serialize(root)
    }

    /// The text of the scalar at `path` (`["plh", "nom"]`), nil when absent or not a scalar.
    public func string(_ path: [String]) -> String? {
        Self.node(at: path, in: root)?.scalar?.string
    }

    /// Sets the scalar at `path`, creating the mappings on the way; nil removes the key.
    public mutating func set(_ path: [String], _ value: String?) {
        root = Self.replacing(path[...], in: root, with: value.map { Self.scalar($0) })
    }

    /// Sets a list of texts at `path` (`constats.desactiver`); an empty list removes the key.
    public mutating func setList(_ path: [String], _ values: [String]) {
        root = Self.replacing(path[...], in: root, with: values.isEmpty ? nil : Node.sequence(Node.Sequence(values.map(Self.scalar))))
    }

    /// The texts of the list at `path`, empty when absent (a single text counts as a list of one).
    public func list(_ path: [String]) -> [String] {
        guard let node = Self.node(at: path, in: root) else { return [] }
        if let text = node.scalar?.string { return [text] }
        return (node.sequence ?? Node.Sequence([])).compactMap { $0.scalar?.string }
    }

    /// The items of the list at `path` (`jalons`, `categories`, `segments`), each as its scalar keys and values;
    /// empty when absent.
    public func sequence(_ path: [String]) -> [[String: String]] {
        guard let items = Self.node(at: path, in: root)?.sequence else { return [] }
        return items.map { item in
            var fields: [String: String] = [:]
            for (key, value) in item.mapping ?? Node.Mapping([]) {
                if let key = key.scalar?.string, let value = value.scalar?.string { fields[key] = value }
            }
            return fields
        }
    }

    /// Replaces the list at `path` by these items, their keys in the order given; an empty list removes the key.
    /// Keys of an item that are not scalars (none in the lists of `plh.yaml`) are not kept.
    public mutating func setSequence(_ path: [String], _ items: [[(String, String)]]) {
        let nodes = items.map { item in
            Node.mapping(Node.Mapping(item.map { (Node($0.0), Self.scalar($0.1)) }))
        }
        root = Self.replacing(path[...], in: root, with: nodes.isEmpty ? nil : Node.sequence(Node.Sequence(nodes)))
    }

    /// The key path at `line` of the file as parsed (`["bilan", "date"]`, or `["jalons", "1", "date"]` for the
    /// second milestone), so that a diagnostic of that line goes to its field; nil when no key starts there.
    public func path(atLine line: Int) -> [String]? {
        var best: [String]?
        func visit(_ node: Node, _ path: [String]) {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard let name = key.scalar?.string else { continue }
                    let here = path + [name]
                    if key.mark?.line == line || (value.scalar != nil && value.mark?.line == line) { best = here }
                    visit(value, here)
                }
            } else if let sequence = node.sequence {
                for (index, item) in sequence.enumerated() {
                    let here = path + [String(index)]
                    if item.mark?.line == line && best == nil { best = here }
                    visit(item, here)
                }
            }
        }
        visit(root, [])
        return best
    }

    // MARK: Nodes

    /// A scalar that the loader reads back as `text`: quoted where a plain scalar would be read as another type
    /// or would not be allowed (libyaml quotes the latter by itself).
    static func scalar(_ text: String) -> Node {
        let needsQuotes = !YAML.isPlainString(text) || text != text.trimmingCharacters(in: .whitespaces) || text.isEmpty
            || text.hasPrefix("0") && text.count > 1
        if text.contains("\n") { return Node(text, style: .literal) }
        return Node(text, style: needsQuotes ? .doubleQuoted : .any)
    }

    static func node(at path: [String], in node: Node) -> Node? {
        var current = node
        for key in path {
            if let mapping = current.mapping {
                guard let found = mapping.first(where: { $0.key.scalar?.string == key })?.value else { return nil }
                current = found
            } else if let sequence = current.sequence, let index = Int(key), sequence.indices.contains(index) {
                current = sequence[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// `node` with the value at `path` replaced (nil: removed), mappings created where missing.
    static func replacing(_ path: ArraySlice<String>, in node: Node, with value: Node?) -> Node {
        guard let key = path.first else { return value ?? node }
        var pairs = node.mapping.map { Array($0).map { ($0.key, $0.value) } } ?? []
        let style = node.mapping?.style ?? .any
        let mark = node.mapping?.mark
        if let index = pairs.firstIndex(where: { $0.0.scalar?.string == key }) {
            if path.count == 1 && value == nil {
                pairs.remove(at: index)
            } else {
                let replaced = replacing(path.dropFirst(), in: pairs[index].1, with: value)
                // Emptying a group of keys removes the group (`couleurs:` without its colours).
                if value == nil, let mapping = replaced.mapping, mapping.isEmpty, pairs[index].1.mapping?.isEmpty == false {
                    pairs.remove(at: index)
                } else {
                    pairs[index].1 = replaced
                }
            }
        } else if value != nil {
            pairs.append((Node(key), replacing(path.dropFirst(), in: Node.mapping(Node.Mapping([])), with: value)))
        }
        return Node.mapping(Node.Mapping(pairs, style: style, mark: mark))
    }
}
