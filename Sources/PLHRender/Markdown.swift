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
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        guard let document = parse(markdown, options) else { return "" }
        defer { cmark_node_free(document) }

        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
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
        guard let rendered = cmark_render_html(document, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
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
