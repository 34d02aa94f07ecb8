import PLHBase
/// A value handed to templates: ready-made French strings, HTML fragments, flags, objects and lists.
public enum TemplateValue: Hashable, Sendable {
    /// Text, escaped by `{{name}}`.
    case text(String)
    /// An HTML fragment already made safe (cmark output), inserted by `{{{name}}}`.
    case html(String)
    /// The same, made by PLH Bilan as UTF-8 bytes (a chart's SVG): given to the document as they are, where
    /// making a String of them would check each byte again.
    case htmlBytes([UInt8])
    /// A condition for `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
    case flag(Bool)
    case object(TemplateObject)
    case list([TemplateValue])

    /// The form swift-mustache renders: strings (with French no-break spacing), booleans, dictionaries and arrays.
    var mustacheValue: Any {
        switch self {
        case .text(let s): return French.typography(s)
        case .html(let s): return s
        case .htmlBytes(let b): return String(decoding: b, as: UTF8.self)
        case .flag(let b): return b
        case .object(let fields): return fields.dictionary.mapValues(\.mustacheValue)
        case .list(let items): return items.map(\.mustacheValue)
        }
    }
}

/// An object's fields: a few names, each looked up as a template names it. Kept in one array with a cheap hash of
/// each name (FNV-1a), compared before the name itself: no SipHash and one allocation per object, where a dictionary
/// hashed every name once to build it and once more for every look-up (8 % of a national batch's processor time).
public struct TemplateObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    struct Field: Sendable {
        let hash: UInt64
        let name: String
        var value: TemplateValue
    }
    private(set) var fields: [Field] = []

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        fields.reserveCapacity(elements.count)
        for (name, value) in elements {
            assert(self[name] == nil, "« \(name) » twice in one template object")
            fields.append(Field(hash: Self.hash(name), name: name, value: value))
        }
    }

    public init(_ dictionary: [String: TemplateValue]) {
        fields.reserveCapacity(dictionary.count)
        // In name order, so that two equal objects list their fields alike.
        for (name, value) in dictionary.sorted(by: { $0.key < $1.key }) { fields.append(Field(hash: Self.hash(name), name: name, value: value)) }
    }

    /// FNV-1a over the name's bytes.
    @inline(__always)
    static func hash(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            return h
        }
    }

    /// The field named `name` (whose hash is `hash`).
    @inline(__always)
    func value(_ name: String, hash: UInt64) -> TemplateValue? {
        for field in fields where field.hash == hash && field.name == name { return field.value }
        return nil
    }

    public subscript(name: String) -> TemplateValue? {
        get { value(name, hash: Self.hash(name)) }
        set {
            let hash = Self.hash(name)
            if let i = fields.firstIndex(where: { $0.hash == hash && $0.name == name }) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append(Field(hash: hash, name: name, value: newValue))
            }
        }
    }

    public var names: [String] { fields.map(\.name) }
    public var count: Int { fields.count }
    var dictionary: [String: TemplateValue] { Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }) }

    /// These fields, then those of `other` this does not have.
    public func adding(_ other: TemplateObject) -> TemplateObject {
        var merged = self
        for field in other.fields where value(field.name, hash: field.hash) == nil { merged.fields.append(field) }
        return merged
    }

    /// The same names with the same values, in any order.
    public static func == (a: TemplateObject, b: TemplateObject) -> Bool {
        a.fields.count == b.fields.count && a.fields.allSatisfy { b.value($0.name, hash: $0.hash) == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-free: the names' hashes summed, and the count.
        hasher.combine(fields.count)
        hasher.combine(fields.reduce(0 as UInt64) { $0 &+ $1.hash })
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
        case (.text, .text), (.html, .html), (.htmlBytes, .html), (.flag, .flag):
            return nil
        case let (.object(values), .object(fields)):
            for field in fields {
                guard let value = values[field.name] else { return "\(path)\(field.name) (absent)" }
                if let bad = value.mismatch(with: field.shape, at: "\(path)\(field.name).") { return bad }
            }
            if let extra = values.names.sorted().first(where: { key in !fields.contains { $0.name == key } }) {
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
