import PLHCompute
import PLHModel

/// A rendered bilan: the HTML document and its CSV annexes, in memory.
public struct RenderedBilan: Sendable {
    public var html: String
    public var annexes: [Annexes.File]
    /// The document printed to PDF, when asked for.
    public var pdf: [UInt8]?
    /// What rendering left out of the narratives (raw HTML, remote images), for the user.
    public var warnings: [Diagnostic] = []

    /// Every output file by its path relative to the bilan's folder.
    public var files: [(path: String, bytes: [UInt8])] {
        [("bilan.html", Array(html.utf8))] + (pdf.map { [("bilan.pdf", $0)] } ?? []) + annexes.map { ($0.path, $0.bytes) }
    }
}

/// Turns a project and its figures into the bilan's HTML and annexes.
public struct BilanRenderer: Sendable {
    public let templates: TemplateSet

    public init(templates: TemplateSet) {
        self.templates = templates
    }

    public func render(project: Project, achievement: Achievement) throws(BilanError) -> RenderedBilan {
        var model = ViewModel(project: project, achievement: achievement)
        let html = try templates.render(model.value())
        return RenderedBilan(html: html, annexes: Annexes.files(project: project, achievement: achievement), warnings: model.warnings)
    }
}
