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
    /// Unicode scalar offsets of the whole tag, braces included.
    var range: Range<Int>

    /// Scans `text` for `{{…}}` and `{{{…}}}` tags. An unclosed tag is left to the Mustache parser to report.
    static func scan(_ text: String) -> [TemplateTag] {
        let scalars = Array(text.unicodeScalars)
        var tags: [TemplateTag] = []
        var line = 1, column = 1
        var i = 0
        func advance(to end: Int) {
            while i < end {
                if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        func find(_ pattern: [Unicode.Scalar], from start: Int) -> Int? {
            var j = start
            while j + pattern.count <= scalars.count {
                var k = 0
                while k < pattern.count && scalars[j + k] == pattern[k] { k += 1 }
                if k == pattern.count { return j }
                j += 1
            }
            return nil
        }
        while let open = find(["{", "{"], from: i) {
            advance(to: open)
            let (tagLine, tagColumn) = (line, column)
            let triple = open + 2 < scalars.count && scalars[open + 2] == "{"
            let closing: [Unicode.Scalar] = triple ? ["}", "}", "}"] : ["}", "}"]
            let contentStart = open + (triple ? 3 : 2)
            guard let close = find(closing, from: contentStart) else { break }
            var content = String(String.UnicodeScalarView(scalars[contentStart..<close]))
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
                                    range: open..<(close + closing.count)))
            advance(to: close + closing.count)
        }
        return tags
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
