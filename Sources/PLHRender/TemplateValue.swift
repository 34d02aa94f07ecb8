import PLHBase
/// A value handed to templates: ready-made French strings, HTML fragments, flags, objects and lists.
public enum TemplateValue: Hashable, Sendable {
    /// Text, escaped by `{{name}}`.
    case text(String)
    /// An HTML fragment already made safe (cmark output), inserted by `{{{name}}}`.
    case html(String)
    /// A condition for `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
    case flag(Bool)
    case object([String: TemplateValue])
    case list([TemplateValue])

    /// The form swift-mustache renders: strings (with French no-break spacing), booleans, dictionaries and arrays.
    var mustacheValue: Any {
        switch self {
        case .text(let s): return French.typography(s)
        case .html(let s): return s
        case .flag(let b): return b
        case .object(let fields): return fields.mapValues(\.mustacheValue)
        case .list(let items): return items.map(\.mustacheValue)
        }
    }
}

/// The shape of a template value, with a French description of every name, for checking and documentation.
public indirect enum TemplateShape: Sendable {
    case text
    case html
    case flag
    case object([TemplateField])
    case list([TemplateField])

    var kindName: String {
        switch self {
        case .text: return "texte"
        case .html: return "HTML"
        case .flag: return "condition"
        case .object: return "objet"
        case .list: return "liste"
        }
    }

    /// The fields visible inside `{{#name}}` for an object or a list element.
    var fields: [TemplateField]? {
        switch self {
        case .object(let f), .list(let f): return f
        default: return nil
        }
    }
}

/// One name templates can use.
public struct TemplateField: Sendable {
    public var name: String
    public var shape: TemplateShape
    /// What it holds, with an example, in French.
    public var doc: String

    public init(_ name: String, _ shape: TemplateShape, _ doc: String) {
        self.name = name
        self.shape = shape
        self.doc = doc
    }
}

extension TemplateValue {
    /// Checks that `self` has exactly the fields of `shape`; returns the first mismatch as a dotted path.
    func mismatch(with shape: TemplateShape, at path: String = "") -> String? {
        switch (self, shape) {
        case (.text, .text), (.html, .html), (.flag, .flag):
            return nil
        case let (.object(values), .object(fields)):
            for field in fields {
                guard let value = values[field.name] else { return "\(path)\(field.name) (absent)" }
                if let bad = value.mismatch(with: field.shape, at: "\(path)\(field.name).") { return bad }
            }
            if let extra = values.keys.sorted().first(where: { key in !fields.contains { $0.name == key } }) {
                return "\(path)\(extra) (non documenté)"
            }
            return nil
        case let (.list(items), .list(fields)):
            for item in items {
                if let bad = item.mismatch(with: .object(fields), at: path) { return bad }
            }
            return nil
        default:
            return "\(path) (\(shape.kindName) attendu)"
        }
    }
}
