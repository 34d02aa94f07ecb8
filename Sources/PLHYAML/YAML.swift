import CYAML
import Foundation

/// Why a YAML text could not be read: libyaml's own words (English, worded in French by the loaders) and where.
public enum YAMLError: Error, Sendable, Equatable {
    /// The scanner, the parser or the composer stopped at `mark`.
    case syntax(problem: String, mark: Node.Mark)
    /// A byte that is not text (invalid UTF-8, a control character): its offset in bytes and its value.
    case reader(problem: String, offset: Int, value: Int)
    /// A key given twice in one mapping: both places.
    case duplicateKey(String, first: Node.Mark, repeated: Node.Mark)
}

/// YAML through Debian's libyaml: a text composed into located nodes, nodes written back as text.
public enum YAML {
    /// The problem libyaml does not have a word for: a second document (`---`) in a file that holds one.
    public static let secondDocument = "expected a single document in the stream"
    /// An alias (`*nom`) with no anchor (`&nom`) before it.
    public static let undefinedAlias = "found undefined alias"

    /// The single document of `text`; nil when the text holds none (empty, or only comments).
    public static func compose(_ text: String) throws(YAMLError) -> Node? {
        let bytes = Array(text.utf8)
        let result: Result<Node?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(.syntax(problem: "memory error", mark: Node.Mark(line: 1, column: 1)))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var composer = Composer()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(parserError(parser)) }
                defer { yaml_event_delete(&event) }
                do throws(YAMLError) {
                    if try composer.take(&event) { break }
                } catch {
                    return .failure(error)
                }
            }
            return .success(composer.root)
        }
        return try result.get()
    }

    /// `node` as YAML text, in block style unless a collection asks otherwise, UTF-8 kept, lines never folded.
    public static func serialize(_ node: Node) -> String {
        final class Output { var bytes: [UInt8] = [] }
        let output = Output()
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else { return "" }
        defer { yaml_emitter_delete(&emitter) }
        let retained = Unmanaged.passRetained(output)
        defer { retained.release() }
        yaml_emitter_set_output(&emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let output = Unmanaged<Output>.fromOpaque(data).takeUnretainedValue()
            output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, retained.toOpaque())
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        yaml_emitter_set_indent(&emitter, 2)

        var ok = true
        func emit(_ initialise: (inout yaml_event_t) -> Int32) {
            guard ok else { return }
            var event = yaml_event_t()
            ok = initialise(&event) == 1 && yaml_emitter_emit(&emitter, &event) == 1
        }
        func write(_ node: Node) {
            switch node {
            case .scalar(let scalar):
                let value = Array(scalar.string.utf8)
                value.withUnsafeBufferPointer { buffer in
                    emit { yaml_scalar_event_initialize(&$0, nil, nil, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!,
                                                        Int32(buffer.count), 1, 1, scalarStyle(scalar.style)) }
                }
            case .mapping(let mapping):
                emit { yaml_mapping_start_event_initialize(&$0, nil, nil, 1, mappingStyle(mapping.style)) }
                for pair in mapping.pairs {
                    write(pair.key)
                    write(pair.value)
                }
                emit { yaml_mapping_end_event_initialize(&$0) }
            case .sequence(let sequence):
                emit { yaml_sequence_start_event_initialize(&$0, nil, nil, 1, sequenceStyle(sequence.style)) }
                for item in sequence.items { write(item) }
                emit { yaml_sequence_end_event_initialize(&$0) }
            }
        }
        emit { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
        emit { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
        write(node)
        emit { yaml_document_end_event_initialize(&$0, 1) }
        emit { yaml_stream_end_event_initialize(&$0) }
        guard ok else { return "" }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Whether `text`, written plain, is read back as a string (YAML 1.1's implicit types: not null, a boolean,
    /// a number, a date, `<<` or `=`); otherwise it must be quoted to stay text.
    public static func isPlainString(_ text: String) -> Bool {
        !implicitTypes.contains { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
    }

    /// The regular expressions of YAML 1.1's type repository (yaml.org/type), anchored.
    static let implicitTypes: [NSRegularExpression] = [
        // null
        #"^(?:~|null|Null|NULL|)$"#,
        // bool
        #"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"#,
        // int: binary, octal, decimal, hexadecimal, sexagesimal
        #"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"#,
        // float
        #"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+)$"#,
        // timestamp
        #"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$"#,
        // merge, value
        #"^(?:<<|=)$"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    static func mark(_ mark: yaml_mark_t) -> Node.Mark {
        Node.Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    static func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            return .reader(problem: problem, offset: Int(parser.problem_offset), value: Int(parser.problem_value))
        default:
            return .syntax(problem: problem, mark: mark(parser.problem_mark))
        }
    }

    static func scalarStyle(_ style: Node.ScalarStyle) -> yaml_scalar_style_t {
        switch style {
        case .any: return YAML_ANY_SCALAR_STYLE
        case .plain: return YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: return YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: return YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: return YAML_LITERAL_SCALAR_STYLE
        case .folded: return YAML_FOLDED_SCALAR_STYLE
        }
    }

    static func mappingStyle(_ style: Node.CollectionStyle) -> yaml_mapping_style_t {
        switch style {
        case .any: return YAML_ANY_MAPPING_STYLE
        case .block: return YAML_BLOCK_MAPPING_STYLE
        case .flow: return YAML_FLOW_MAPPING_STYLE
        }
    }

    static func sequenceStyle(_ style: Node.CollectionStyle) -> yaml_sequence_style_t {
        switch style {
        case .any: return YAML_ANY_SEQUENCE_STYLE
        case .block: return YAML_BLOCK_SEQUENCE_STYLE
        case .flow: return YAML_FLOW_SEQUENCE_STYLE
        }
    }
}

/// Builds the tree from libyaml's events: open collections on a stack, anchors remembered for their aliases.
struct Composer {
    /// A collection being read, changed in place on the stack (never copied to add one node).
    struct Open {
        var isMapping: Bool
        var style: Node.CollectionStyle
        var mark: Node.Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [(Node, Node)] = []
        /// A mapping's key waiting for its value.
        var key: Node?
        /// Where each of a mapping's keys first appears, to report a repeated one at both places.
        var keyMarks: [String: Node.Mark] = [:]

        var node: Node {
            isMapping ? .mapping(Node.Mapping(pairs, style: style, mark: mark)) : .sequence(Node.Sequence(items, style: style, mark: mark))
        }
    }

    var stack: [Open] = []
    var anchors: [String: Node] = [:]
    var root: Node?
    var documents = 0

    /// Takes one event; true at the end of the stream.
    mutating func take(_ event: inout yaml_event_t) throws(YAMLError) -> Bool {
        let mark = YAML.mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw .syntax(problem: YAML.secondDocument, mark: mark) }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let style: Node.ScalarStyle
            switch data.style {
            case YAML_PLAIN_SCALAR_STYLE: style = .plain
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .any
            }
            try add(.scalar(Node.Scalar(text, style: style, mark: mark)), anchor: Self.text(data.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor) ?? ""
            guard let node = anchors[name] else { throw .syntax(problem: YAML.undefinedAlias, mark: mark) }
            try add(node, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            let style: Node.CollectionStyle = data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : data.style == YAML_BLOCK_SEQUENCE_STYLE ? .block : .any
            stack.append(Open(isMapping: false, style: style, mark: mark, anchor: Self.text(data.anchor)))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            let style: Node.CollectionStyle = data.style == YAML_FLOW_MAPPING_STYLE ? .flow : data.style == YAML_BLOCK_MAPPING_STYLE ? .block : .any
            stack.append(Open(isMapping: true, style: style, mark: mark, anchor: Self.text(data.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let closed = stack.removeLast()
            try add(closed.node, anchor: closed.anchor)
        default:
            break
        }
        return false
    }

    /// Places a finished node in the open collection, or as the document.
    mutating func add(_ node: Node, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = node }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        if let key = stack[top].key {
            stack[top].pairs.append((key, node))
            stack[top].key = nil
            return
        }
        if let text = node.scalar?.string {
            let here = node.mark ?? stack[top].mark
            if let first = stack[top].keyMarks[text] { throw .duplicateKey(text, first: first, repeated: here) }
            stack[top].keyMarks[text] = here
        }
        stack[top].key = node
    }

    static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
