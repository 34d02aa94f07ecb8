import PLHModel

/// One narrative rendered as the bilan shows it: figures expanded, then cmark; the bilan (`ViewModel`) and the
/// web editor's live preview both go through `html(expanded:allowRawHTML:omissions:)`, so they cannot differ.
public struct NarrativePreview: Sendable {
    /// The section's HTML, as in the bilan (headings from h4, « À rédiger » when there is no text).
    public var html: String
    /// Figures the text cites that do not exist, located in the narrative: the bilan refuses them.
    public var errors: [Diagnostic]
    /// What rendering left out (raw HTML, remote images), located.
    public var warnings: [Diagnostic]

    /// Renders `narrative` with the project's `figures`; with `allowRawHTML` false, cmark's safe mode.
    public static func render(_ narrative: Narrative, figures: NarrativeFigures, allowRawHTML: Bool) -> NarrativePreview {
        var errors: [Diagnostic] = []
        let expanded = figures.expand(narrative, errors: &errors)
        var omissions: [Markdown.Omission] = []
        let html = html(expanded: expanded, allowRawHTML: allowRawHTML, omissions: &omissions)
        return NarrativePreview(html: html, errors: errors, warnings: ViewModel.warnings(omissions, in: narrative))
    }

    /// Narratives sit under a chapter (h2) and a section (h3): their shallowest heading is h4, whether the officer
    /// wrote `#` or `##` (heading levels must not skip one, for screen readers).
    /// A narrative with nothing but headings and comments (as init writes them) says « À rédiger ».
    static func html(expanded markdown: String, allowRawHTML: Bool, omissions: inout [Markdown.Omission]) -> String {
        let html = Markdown.html(markdown, headingOffset: 3, topHeading: 4, allowRawHTML: allowRawHTML, omissions: &omissions)
        return Markdown.hasText(markdown) ? html : html + "<p class=\"a-rediger\">À rédiger</p>\n"
    }
}
