import PLHBase
import PLHCompute
import PLHModel

/// A rendered bilan: the HTML document and its CSV annexes, in memory.
public struct RenderedBilan: Sendable {
    /// The HTML document's UTF-8 bytes, as they are written.
    public var htmlBytes: [UInt8]
    /// The HTML document as text (decoded from `htmlBytes`, which writers use as they are).
    public var html: String { String(decoding: htmlBytes, as: UTF8.self) }
    public var annexes: [Annexes.File]
    /// The document printed to PDF, when asked for.
    public var pdf: [UInt8]?
    /// What rendering left out of the narratives (raw HTML, remote images), for the user.
    public var warnings: [Diagnostic] = []
    /// What the officer still has to fill in (the « Bilan à compléter » box); empty for a complete bilan.
    public var toComplete: [String] = []
    /// Whether the document is marked as a draft on its cover.
    public var isDraft = false

    /// Every output file by its path relative to the bilan's folder.
    public var files: [(path: String, bytes: [UInt8])] {
        [("bilan.html", htmlBytes)] + (pdf.map { [("bilan.pdf", $0)] } ?? []) + annexes.map { ($0.path, $0.bytes) }
    }
}

/// Turns a project and its figures into the bilan's HTML and annexes.
public struct BilanRenderer: Sendable {
    public let templates: TemplateSet
    /// Whether the annexes include the workbook (`annexes.xlsx`); a national batch goes without by default.
    public var workbook: Bool

    public init(templates: TemplateSet, workbook: Bool = true) {
        self.templates = templates
        self.workbook = workbook
    }

    /// With `draftIfIncomplete`, an incomplete bilan is marked as a draft on its cover.
    public func render(project: Project, achievement: Achievement, draftIfIncomplete: Bool = false) throws(BilanError) -> RenderedBilan {
        // The workbook is mostly deflate, independent of the document: it is made on another core meanwhile.
        let workbook = self.workbook
        let annexes = workbook ? Background { Annexes.files(project: project, achievement: achievement, workbook: true) } : nil
        var model = ViewModel(project: project, achievement: achievement)
        let toComplete = model.toComplete
        model.knownGaps = toComplete
        model.draft = draftIfIncomplete && !toComplete.isEmpty
        model.workbook = workbook
        let html = try templates.renderBytes(model.value())
        return RenderedBilan(htmlBytes: html, annexes: annexes?.value ?? Annexes.files(project: project, achievement: achievement, workbook: false),
                             warnings: model.warnings, toComplete: toComplete, isDraft: model.draft)
    }
}
