/// A YAML document as a tree of located nodes, keys in their order: what the loaders check (every
/// complaint names a line and a column) and what `PlanFile` edits and writes back.
public indirect enum Node: Hashable, Sendable {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(Sequence)

    /// A place in the text, from 1.
    public struct Mark: Hashable, Sendable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    public enum ScalarStyle: Hashable, Sendable {
        /// Plain when it can be, quoted otherwise: the emitter chooses.
        case any, plain, singleQuoted, doubleQuoted, literal, folded
    }

    public enum CollectionStyle: Hashable, Sendable {
        case any, block, flow
    }

    public struct Scalar: Hashable, Sendable {
        public var string: String
        public var style: ScalarStyle
        public var mark: Mark?

        public init(_ string: String, style: ScalarStyle = .any, mark: Mark? = nil) {
            self.string = string
            self.style = style
            self.mark = mark
        }
    }

    /// Key-value pairs in the order of the text.
    public struct Mapping: RandomAccessCollection, Hashable, Sendable {
        public var pairs: [(key: Node, value: Node)]
        public var style: CollectionStyle
        public var mark: Mark?

        public init(_ pairs: [(Node, Node)], style: CollectionStyle = .any, mark: Mark? = nil) {
            self.pairs = pairs.map { (key: $0.0, value: $0.1) }
            self.style = style
            self.mark = mark
        }

        public var startIndex: Int { pairs.startIndex }
        public var endIndex: Int { pairs.endIndex }
        public subscript(position: Int) -> (key: Node, value: Node) { pairs[position] }

        /// The value of the first key whose text is `key`.
        public subscript(key: String) -> Node? {
            pairs.first { $0.key.scalar?.string == key }?.value
        }

        public static func == (a: Mapping, b: Mapping) -> Bool {
            a.style == b.style && a.mark == b.mark && a.pairs.count == b.pairs.count
                && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(pairs.count)
            for pair in pairs {
                hasher.combine(pair.key)
                hasher.combine(pair.value)
            }
        }
    }

    public struct Sequence: RandomAccessCollection, Hashable, Sendable {
        public var items: [Node]
        public var style: CollectionStyle
        public var mark: Mark?

        public init(_ items: [Node], style: CollectionStyle = .any, mark: Mark? = nil) {
            self.items = items
            self.style = style
            self.mark = mark
        }

        public var startIndex: Int { items.startIndex }
        public var endIndex: Int { items.endIndex }
        public subscript(position: Int) -> Node { items[position] }
    }

    /// A scalar node.
    public init(_ string: String, style: ScalarStyle = .any) {
        self = .scalar(Scalar(string, style: style))
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    public var mapping: Mapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    public var sequence: Sequence? {
        if case .sequence(let sequence) = self { return sequence }
        return nil
    }

    /// Where the node starts in the text; nil for a node made in code.
    public var mark: Mark? {
        switch self {
        case .scalar(let s): return s.mark
        case .mapping(let m): return m.mark
        case .sequence(let s): return s.mark
        }
    }
}
