import Foundation
import PLHCompute
import PLHBase
import PLHModel
import PLHRender

/// The pipeline once a project is loaded, written once for `render`, `package` and the batch:
/// compute → render (→ PDF) → write the bilan's folder, its submission archive, or both.
public struct Pipeline: Sendable {
    /// Where an output goes, and how messages name it.
    public struct Destination: Sendable {
        public var url: URL
        public var display: String

        public init(_ url: URL, display: String) {
            self.url = url
            self.display = display
        }
    }

    /// What the steps produced.
    public struct Produced: Sendable {
        public var achievement: Achievement
        public var bilan: RenderedBilan
        /// The submission archive's files and bytes, when one was written.
        public var package: SubmissionPackage?
        public var archive: [UInt8]?
    }

    public let renderer: BilanRenderer
    public let settings: RunSettings
    /// Prints `bilan.pdf` too, when set.
    public var printer: PDFPrinter?
    public var writer = OutputWriter()
    /// Whether an incomplete bilan may be packaged, as a draft that says so; refused otherwise.
    public var allowsDrafts = false

    public init(renderer: BilanRenderer, settings: RunSettings, printer: PDFPrinter? = nil) {
        self.renderer = renderer
        self.settings = settings
        self.printer = printer
    }

    /// Computes, renders and writes `folder` and/or `archive`; `inputs` are the project's files, read only for an
    /// archive, `templates` those given from outside the project.
    public func run(_ project: Project, folder: Destination?, archive: Destination?,
                    inputs: () throws(BilanError) -> [(path: String, bytes: [UInt8])] = { [] },
                    templates: [(path: String, bytes: [UInt8])] = []) throws(BilanError) -> Produced {
        let achievement = Achievement(project: project)
        var bilan = try renderer.render(project: project, achievement: achievement, draftIfIncomplete: archive != nil && allowsDrafts)
        if archive != nil, !allowsDrafts, !bilan.toComplete.isEmpty {
            throw Self.incomplete(bilan.toComplete)
        }
        let time = FixedTime(bilanDate: project.bilan.date, settings: settings)
        if let printer { bilan.pdf = try printer.pdf(of: bilan.html, time: time) }
        if let folder { try writer.write(bilan.files, to: folder.url, display: folder.display) }
        var produced = Produced(achievement: achievement, bilan: bilan)
        if let archive {
            let package = SubmissionPackage(project: project, bilan: bilan, inputs: try inputs(), templates: templates, time: time)
            let bytes = try package.archive()
            try writer.writeFile(bytes, to: archive.url, display: archive.display)
            produced.package = package
            produced.archive = bytes
        }
        return produced
    }

    /// The refusal of an incomplete bilan's archive: what it lacks, and how to ask for a draft.
    static func incomplete(_ gaps: [String]) -> BilanError {
        var diagnostics = gaps.map { Diagnostic(at: nil, "bilan incomplet, archive de dépôt refusée : \($0)") }
        diagnostics[diagnostics.count - 1].hint = "complétez le projet, ou demandez un brouillon (plh-bilan package … --brouillon), marqué comme tel sur sa couverture et dans son manifeste"
        return BilanError(.input, diagnostics)
    }
}
