import PLHBase
import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Markdown to HTML through cmark. The only file that calls the C library.
public enum Markdown {
    /// Renders CommonMark to an HTML fragment.
    ///
    /// French spacing is applied to text (not to code): a no-break space before `; : ! ? »` and after `«`.
    ///
    /// Safe by default: raw HTML is dropped and `javascript:`, `vbscript:`, `file:` and most `data:` links are
    /// emptied, as cmark does without `CMARK_OPT_UNSAFE`. Headings are shifted down by `headingOffset` levels
    /// (a `#` in a narrative must not compete with the document's own titles) and capped at 6.
    ///
    /// HTML comments (`<!-- … -->`, the guidance `plh-bilan init` writes into narratives) are removed in
    /// either mode: safe mode would otherwise leave a placeholder comment in their place.
    public static func html(_ markdown: String, headingOffset: Int = 0, allowRawHTML: Bool = false) -> String {
        var omissions: [Omission] = []
        return html(markdown, headingOffset: headingOffset, allowRawHTML: allowRawHTML, omissions: &omissions)
    }

    /// Something left out of a narrative's HTML, for a warning: raw HTML in safe mode, or a remote image.
    public struct Omission: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Raw HTML that safe mode dropped (`<b>`, `<br>`…).
            case rawHTML
            /// An image the browser would fetch from the network (`https://…`, `//…`): removed in either mode,
            /// because a bilan makes no network call.
            case remoteImage
        }

        public var kind: Kind
        /// The line in the Markdown, when cmark gives it.
        public var line: Int?
        /// The HTML as written (its first line) or the image's address.
        public var text: String
    }

    /// The level of the document's shallowest heading, nil when it has none.
    static func shallowestHeading(_ document: OpaquePointer) -> Int? {
        var shallowest: Int?
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_HEADING
            else { continue }
            let level = Int(cmark_node_get_heading_level(node))
            shallowest = min(shallowest ?? level, level)
        }
        return shallowest
    }

    /// `html(_:headingOffset:allowRawHTML:)`, telling what was left out in `omissions`, in document order.
    ///
    /// With `topHeading`, the text's shallowest heading becomes that level and the others follow it (a narrative
    /// starting at `##` under an h3 section gets h4, not h5), whatever `headingOffset` says.
    public static func html(_ markdown: String, headingOffset: Int = 0, topHeading: Int? = nil, allowRawHTML: Bool = false,
                            omissions: inout [Omission]) -> String {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        guard let document = parse(markdown, options) else { return "" }
        defer { cmark_node_free(document) }
        var headingOffset = headingOffset
        if let topHeading, let shallowest = shallowestHeading(document) { headingOffset = topHeading - shallowest }

        var remoteImages: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let line = cmark_node_get_start_line(node) > 0 ? Int(cmark_node_get_start_line(node)) : nil
            switch cmark_node_get_type(node) {
            case CMARK_NODE_IMAGE:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if isRemote(url) {
                    remoteImages.append(node)
                    omissions.append(Omission(kind: .remoteImage, line: line, text: url))
                }
            case CMARK_NODE_HTML_BLOCK where !allowRawHTML, CMARK_NODE_HTML_INLINE where !allowRawHTML:
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                let first = literal.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
                omissions.append(Omission(kind: .rawHTML, line: line, text: first.count > 60 ? String(first.prefix(60)) + "…" : first))
            case CMARK_NODE_HEADING where headingOffset != 0:
                let level = cmark_node_get_heading_level(node) + Int32(headingOffset)
                cmark_node_set_heading_level(node, min(max(level, 1), 6))
            case CMARK_NODE_TEXT:
                if let literal = cmark_node_get_literal(node) {
                    let text = String(cString: literal)
                    let fixed = French.typography(text)
                    if fixed != text { cmark_node_set_literal(node, fixed) }
                }
            default:
                break
            }
        }
        cmark_iter_free(iterator)
        for node in remoteImages {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        guard let rendered = cmark_render_html(document, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Whether the browser would fetch `url` from the network: a scheme other than `data:`, or `//host/…`.
    static func isRemote(_ url: String) -> Bool {
        let trimmed = url.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        let start = trimmed.prefix(2)
        if start == "//" || start == "\\\\" || start == "/\\" || start == "\\/" { return true }
        guard let colon = trimmed.firstIndex(of: ":") else { return false }
        let scheme = trimmed[..<colon]
        // Before its colon, a scheme has a letter then letters, digits and + - . (a path like `a/b:c` has none).
        let ascii = scheme.unicodeScalars
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = ascii.first, letter(first),
              ascii.allSatisfy({ letter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }) else { return false }
        return scheme.lowercased() != "data"
    }

    /// Whether a narrative says something: a block other than a heading, once comments are removed.
    public static func hasText(_ markdown: String) -> Bool {
        guard let document = parse(markdown, CMARK_OPT_DEFAULT) else { return false }
        defer { cmark_node_free(document) }
        var child = cmark_node_first_child(document)
        while let node = child {
            if cmark_node_get_type(node) != CMARK_NODE_HEADING { return true }
            child = cmark_node_next(node)
        }
        return false
    }

    /// The document tree without its HTML comments; the caller frees it.
    private static func parse(_ markdown: String, _ options: Int32) -> OpaquePointer? {
        let length = markdown.utf8.count
        guard let document = markdown.withCString({ cmark_parse_document($0, length, options) }) else { return nil }
        var comments: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE, let literal = cmark_node_get_literal(node) else { continue }
            let text = String(cString: literal).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            if text.hasPrefix("<!--") && text.trimmingTrailingWhitespace.hasSuffix("-->") { comments.append(node) }
        }
        cmark_iter_free(iterator)
        for node in comments {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        return document
    }
}

private extension Substring {
    var trimmingTrailingWhitespace: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\n" || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
