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
    public static func html(_ markdown: String, headingOffset: Int = 0, allowRawHTML: Bool = false) -> String {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        let length = markdown.utf8.count
        let maybeDocument = markdown.withCString { cmark_parse_document($0, length, options) }
        guard let document = maybeDocument else { return "" }
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
}
