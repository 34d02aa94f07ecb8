/// The tags of a Mustache template with where they stand: enough to check names before rendering.
struct TemplateTag {
    enum Kind: Equatable {
        case variable(escaped: Bool)
        case section, inverted, close, partial, comment
        /// Delimiter changes, blocks and parents: valid Mustache that PLH Bilan does not check, so refuses.
        case unsupported(String)
    }

    var kind: Kind
    var name: String
    var line: Int
    var column: Int
    /// UTF-8 byte offsets of the whole tag, braces included.
    var range: Range<Int>

    /// Scans `text` for `{{…}}` and `{{{…}}}` tags. An unclosed tag is left to the Mustache parser to report.
    static func scan(_ text: String) -> [TemplateTag] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { scan($0) }
    }

    /// The same on UTF-8 bytes: braces are ASCII and never part of a multi-byte sequence, so tags are
    /// found byte by byte; lines and columns still count Unicode scalars, as editors do.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [TemplateTag] {
        let open: UInt8 = 0x7B, close: UInt8 = 0x7D, newline: UInt8 = 0x0A
        var tags: [TemplateTag] = []
        var line = 1, column = 1
        var i = 0
        func advance(to end: Int) {
            while i < end {
                let byte = bytes[i]
                if byte == newline { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        func find(_ brace: UInt8, _ count: Int, from start: Int) -> Int? {
            var j = start
            while j + count <= bytes.count {
                if bytes[j] == brace {
                    var k = 1
                    while k < count && bytes[j + k] == brace { k += 1 }
                    if k == count { return j }
                }
                j += 1
            }
            return nil
        }
        while let start = find(open, 2, from: i) {
            advance(to: start)
            let (tagLine, tagColumn) = (line, column)
            let triple = start + 2 < bytes.count && bytes[start + 2] == open
            let closingCount = triple ? 3 : 2
            let contentStart = start + closingCount
            guard let end = find(close, closingCount, from: contentStart) else { break }
            var content = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<end]), as: UTF8.self)
            content = content.trimmingWhitespace()
            var kind: Kind = .variable(escaped: !triple)
            if !triple, let sigil = content.first {
                let rest = String(content.dropFirst()).trimmingWhitespace()
                switch sigil {
                case "!": kind = .comment
                case "#": kind = .section; content = rest
                case "^": kind = .inverted; content = rest
                case "/": kind = .close; content = rest
                case ">": kind = .partial; content = rest
                case "&": kind = .variable(escaped: false); content = rest
                case "=": kind = .unsupported("le changement de délimiteurs")
                case "$": kind = .unsupported("les blocs ({{$…}})")
                case "<": kind = .unsupported("l'héritage de gabarits ({{<…}})")
                default: break
                }
            }
            if content.utf8.contains(0x28) && kind != .comment {  // « ( », without Foundation's search
                kind = .unsupported("les fonctions de transformation")
            }
            tags.append(TemplateTag(kind: kind, name: content, line: tagLine, column: tagColumn,
                                    range: start..<(end + closingCount)))
            advance(to: end + closingCount)
        }
        return tags
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // ASCII text (tag names almost always are): blanks cut byte by byte, as Character.isWhitespace would.
        if utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = utf8
            var start = bytes.startIndex, end = bytes.endIndex
            func blank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
            while start < end, blank(bytes[start]) { start = bytes.index(after: start) }
            while start < end, blank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
            return String(self[start..<end])
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
