import PLHBase
import PLHModel

/// Renders the checked templates straight from `TemplateValue`s: the templates are parsed once into
/// nodes, and rendering appends UTF-8 bytes to one buffer, without the `Any` values and runtime casts a generic
/// Mustache engine needs. swift-mustache still parses every template first and reports syntax errors;
/// both follow the Mustache specification (standalone lines, escaping), and tests keep them equal, but for one
/// thing: an empty line of an indented partial stays empty here, where swift-mustache leaves the indentation on it.
struct CompiledTemplates: Sendable {
    indirect enum Node: Sendable {
        /// The template's own text, as UTF-8 bytes: copied to the output as they are.
        case text([UInt8])
        case variable(Path, escaped: Bool)
        case section(Path, [Node], inverted: Bool)
        case partial(String, indentation: [UInt8])
    }

    /// A dotted name, with each part's hash worked out once, at parsing (`TemplateObject.hash`).
    struct Path: Sendable {
        let names: [String]
        let hashes: [UInt64]

        init(_ dotted: String) {
            guard dotted != "." else {
                names = ["."]
                hashes = [TemplateObject.hash(".")]
                return
            }
            // The names between dots, empty ones left out (as `split` would), read from the UTF-8 bytes: a generic
            // `split` over characters cost 5 000 instructions per path, a third of parsing the default templates.
            var names: [String] = []
            var copy = dotted
            copy.withUTF8 { bytes in
                var start = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ".") {
                    if i > start { names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                    start = i + 1
                }
            }
            self.names = names
            hashes = names.map(TemplateObject.hash)
        }
    }

    private(set) var templates: [String: [Node]] = [:]

    init(sources: [String: TemplateSet.Source]) {
        for (name, source) in sources { templates[name] = Self.parse(source.text) }
    }

    // MARK: Parsing

    static func parse(_ text: String) -> [Node] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Parses UTF-8 bytes: tags, lines and blanks are all ASCII, so no scalar is decoded.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [Node] {
        func slice(_ range: Range<Int>) -> [UInt8] {
            Array(UnsafeBufferPointer(rebasing: bytes[range]))
        }
        let newline: UInt8 = 0x0A
        func blank(_ range: Range<Int>) -> Bool {
            for i in range where bytes[i] != 0x20 && bytes[i] != 0x09 && bytes[i] != 0x0D { return false }
            return true
        }
        let tags = TemplateTag.scan(bytes)
        // A stack of open sections: their name, kind, and the nodes gathered so far.
        var stack: [(name: String, inverted: Bool, nodes: [Node])] = [("", false, [])]
        var cursor = 0
        func emit(_ node: Node) { stack[stack.count - 1].nodes.append(node) }
        func emitText(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            emit(.text(slice(range)))
        }
        for (index, tag) in tags.enumerated() {
            let start = tag.range.lowerBound, end = tag.range.upperBound
            let eligible: Bool
            switch tag.kind {
            case .section, .inverted, .close, .comment, .partial: eligible = true
            default: eligible = false
            }
            var standalone = false
            var lineStart = start, lineEnd = end
            if eligible {
                while lineStart > 0 && bytes[lineStart - 1] != newline { lineStart -= 1 }
                while lineEnd < bytes.count && bytes[lineEnd] != newline { lineEnd += 1 }
                let nextStart = index + 1 < tags.count ? tags[index + 1].range.lowerBound : bytes.count
                standalone = cursor <= lineStart && nextStart >= lineEnd && blank(lineStart..<start) && blank(end..<lineEnd)
            }
            let indentation = standalone ? slice(lineStart..<start) : []
            if standalone {
                emitText(cursor..<lineStart)
                cursor = min(lineEnd + 1, bytes.count)
            } else {
                emitText(cursor..<start)
                cursor = end
            }
            switch tag.kind {
            case .variable(let escaped):
                emit(.variable(Path(tag.name), escaped: escaped))
            case .section: stack.append((tag.name, false, []))
            case .inverted: stack.append((tag.name, true, []))
            case .close:
                guard stack.count > 1 else { continue }
                let open = stack.removeLast()
                emit(.section(Path(open.name), open.nodes, inverted: open.inverted))
            case .partial: emit(.partial(tag.name, indentation: indentation))
            case .comment, .unsupported: continue
            }
        }
        emitText(cursor..<bytes.count)
        return stack[0].nodes
    }

    // MARK: Rendering

    func render(_ name: String, _ value: TemplateValue) -> [UInt8] {
        // Bytes, not a String: appending to a String checked and grew it at each of a bilan's 2 000 pieces, 350
        // instructions a piece, an eighth of a national batch. The pieces are valid UTF-8, cut at ASCII bytes.
        var out = ByteBuffer(capacity: 128 * 1024)
        var stack = [value]
        render(templates[name] ?? [], &stack, &out, depth: 0)
        return out.finish()
    }

    private func render(_ nodes: [Node], _ stack: inout [TemplateValue], _ out: inout ByteBuffer, depth: Int) {
        for node in nodes {
            switch node {
            case .text(let text):
                out.append(text)
            case let .variable(path, escaped):
                switch lookup(path, stack) {
                // Control characters from input names never reach the document (see `withoutControlCharacters`).
                case .text(let s)?:
                    Self.put(French.typography(s.withoutControlCharacters), escaped: escaped, into: &out)
                case .html(let s)?:
                    Self.put(s.withoutControlCharacters, escaped: escaped, into: &out)
                case .htmlBytes(let bytes)?:
                    if bytes.withUnsafeBufferPointer({ ControlCharacters.contains($0) }) {
                        Self.put(String(decoding: bytes, as: UTF8.self).withoutControlCharacters, escaped: escaped, into: &out)
                    } else {
                        bytes.withUnsafeBufferPointer { Self.put($0, escaped: escaped, into: &out) }
                    }
                case .flag(let b)?: out.append(b ? "true" : "false" as StaticString)
                default: break
                }
            case let .section(path, body, inverted):
                let value = lookup(path, stack)
                if inverted {
                    if !Self.truthy(value) { render(body, &stack, &out, depth: depth) }
                    continue
                }
                switch value {
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(body, &stack, &out, depth: depth)
                        stack.removeLast()
                    }
                case .object?:
                    stack.append(value!)
                    render(body, &stack, &out, depth: depth)
                    stack.removeLast()
                default:
                    if Self.truthy(value) { render(body, &stack, &out, depth: depth) }
                }
            case let .partial(name, indentation):
                guard depth < 64, let nodes = templates[name] else { continue }
                if indentation.isEmpty {
                    render(nodes, &stack, &out, depth: depth + 1)
                } else {
                    // Each line of the partial indented, a line starting after a line feed that does not end a
                    // CR LF pair (one character, as Swift counts them), an empty line left as it is.
                    var inner = ByteBuffer()
                    render(nodes, &stack, &inner, depth: depth + 1)
                    var atLineStart = true
                    var previous: UInt8 = 0
                    inner.withBytes { bytes in
                        for byte in bytes {
                            if atLineStart && byte != 0x0A { out.append(indentation) }
                            out.append(byte)
                            atLineStart = byte == 0x0A && previous != 0x0D
                            previous = byte
                        }
                    }
                }
            }
        }
    }

    static func truthy(_ value: TemplateValue?) -> Bool {
        switch value {
        case .flag(let b)?: return b
        case .list(let items)?: return !items.isEmpty
        case .text(let s)?, .html(let s)?: return !s.isEmpty
        case .htmlBytes(let b)?: return !b.isEmpty
        case .object?: return true
        case nil: return false
        }
    }

    /// Mustache lookup: the first name from the innermost context outwards, the rest inside it.
    func lookup(_ path: Path, _ stack: [TemplateValue]) -> TemplateValue? {
        guard let first = path.names.first else { return nil }
        if first == "." { return stack.last }
        let firstHash = path.hashes[0]
        var found: TemplateValue?
        for frame in stack.reversed() {
            if case .object(let fields) = frame, let value = fields.value(first, hash: firstHash) { found = value; break }
        }
        for k in path.names.indices.dropFirst() {
            guard case .object(let fields)? = found else { return nil }
            found = fields.value(path.names[k], hash: path.hashes[k])
        }
        return found
    }

    /// A variable's bytes, escaped for `{{name}}`, as they are for `{{{name}}}`.
    static func put(_ bytes: UnsafeBufferPointer<UInt8>, escaped: Bool, into out: inout ByteBuffer) {
        if escaped { escape(bytes, into: &out) } else { out.append(bytes) }
    }

    static func put(_ text: String, escaped: Bool, into out: inout ByteBuffer) {
        var text = text
        text.withUTF8 { put($0, escaped: escaped, into: &out) }
    }

    /// HTML escaping as swift-mustache does it: & < > " and '. The five are ASCII: no other byte is touched.
    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) {
        var start = 0
        for (i, byte) in bytes.enumerated() {
            let entity: StaticString
            switch byte {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22: entity = "&quot;"
            case 0x27: entity = "&#39;"
            default: continue
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            out.append(entity)
            start = i + 1
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}
