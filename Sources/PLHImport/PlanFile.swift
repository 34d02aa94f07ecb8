import Foundation
import PLHModel
import Yams

/// A project's `plh.yaml` edited key by key, for forms that must never make the user write YAML.
///
/// The file is composed into Yams' node tree, changed there and written back: key order and keys this type does
/// not know are kept; comments are not (the YAML emitter drops them). The engine checks the result, as it checks
/// a hand-written file.
public struct PlanFile {
    /// The file as messages name it.
    public let path: String
    private var root: Node

    /// Parses the file; bad YAML is a located French error.
    public init(text: String, path: String = "plh.yaml") throws(BilanError) {
        self.path = path
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch {
            throw BilanError(.input, at: SourceLocation(path: path), "le fichier n'est pas du YAML lisible",
                             hint: "corrigez-le à la main ou rétablissez une version précédente depuis l'historique")
        }
        guard case .mapping = root else {
            throw BilanError(.input, at: SourceLocation(path: path, line: 1), "le fichier doit commencer par des clés (epci:, plh:, bilan:…)")
        }
    }

    /// The text of the scalar at `path` (`["plh", "nom"]`), nil when absent or not a scalar.
    public func string(_ path: [String]) -> String? {
        node(at: path)?.scalar?.string
    }

    /// Sets the scalar at `path`, creating the mappings on the way; nil removes the key. `quoted` writes it between
    /// double quotes (a SIREN or a code that must stay text); otherwise the emitter quotes only when YAML needs it.
    public mutating func set(_ path: [String], _ value: String?, quoted: Bool = false) {
        let node = value.map { Node.scalar(Node.Scalar($0, .implicit, quoted ? .doubleQuoted : .any)) }
        root = Self.setting(root, path[...], node)
    }

    /// The items of the sequence at `path` as key → text (scalars only), in order; empty when absent.
    public func sequence(_ path: [String]) -> [[String: String]] {
        guard case .sequence(let items)? = node(at: path) else { return [] }
        return items.map { item in
            var fields: [String: String] = [:]
            if case .mapping(let mapping) = item {
                for (key, value) in mapping { if let k = key.scalar?.string, let v = value.scalar?.string { fields[k] = v } }
            }
            return fields
        }
    }

    /// Replaces the sequence at `path` by these items, each an ordered list of (key, text); an empty text leaves
    /// the key out. Keys an existing item of the same `identity` value had and this list does not name (such as
    /// `sitadel:` of a segment) are kept. An empty list removes the key.
    public mutating func setSequence(_ path: [String], _ items: [[(String, String)]], identity: String = "code") {
        var previous: [String: Node.Mapping] = [:]
        if case .sequence(let old)? = node(at: path) {
            for item in old {
                if case .mapping(let mapping) = item, let id = mapping[identity]?.scalar?.string { previous[id] = mapping }
            }
        }
        let nodes = items.map { fields -> Node in
            let id = fields.first { $0.0 == identity }?.1
            var mapping = id.flatMap { previous[$0] } ?? Node.Mapping([])
            for (key, value) in fields {
                mapping[key] = value.isEmpty ? nil : Node.scalar(Node.Scalar(value))
            }
            return .mapping(mapping)
        }
        root = Self.setting(root, path[...], nodes.isEmpty ? nil : .sequence(Node.Sequence(nodes)))
    }

    /// The file, written back.
    public var text: String {
        (try? Yams.serialize(node: root, indent: 2, width: -1, allowUnicode: true)) ?? ""
    }

    /// The key path of the value on `line` of `text` (as the engine's messages locate it), deepest first found:
    /// `["bilan", "date"]`, or `["jalons", "2", "date"]` for the third milestone. Nil when the line holds none.
    public static func path(atLine line: Int, in text: String) -> [String]? {
        guard let root = try? Yams.compose(yaml: text) else { return nil }
        return search(root, line: line, prefix: [])
    }

    private static func search(_ node: Node, line: Int, prefix: [String]) -> [String]? {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                if let found = search(value, line: line, prefix: prefix + [name]) { return found }
                if key.mark?.line == line { return prefix + [name] }
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                if let found = search(item, line: line, prefix: prefix + [String(index)]) { return found }
            }
        case .scalar(let scalar):
            if scalar.mark?.line == line { return prefix }
        case .alias:
            break
        }
        return nil
    }

    private func node(at path: [String]) -> Node? {
        var node: Node? = root
        for key in path {
            switch node {
            case .mapping(let mapping)?: node = mapping[key]
            case .sequence(let items)?: node = Int(key).flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: return nil
            }
        }
        return node
    }

    private static func setting(_ node: Node?, _ path: ArraySlice<String>, _ value: Node?) -> Node {
        guard let key = path.first else { return value ?? Node.scalar(Node.Scalar("")) }
        var mapping: Node.Mapping
        if case .mapping(let existing)? = node { mapping = existing } else { mapping = Node.Mapping([]) }
        if path.count == 1 {
            mapping[key] = value
        } else {
            let child = setting(mapping[key], path.dropFirst(), value)
            if case .mapping(let inner) = child, inner.isEmpty, value == nil { mapping[key] = nil } else { mapping[key] = child }
        }
        return .mapping(mapping)
    }
}
