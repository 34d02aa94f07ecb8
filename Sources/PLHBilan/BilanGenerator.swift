@_exported import PLHBase
@_exported import PLHBatch
@_exported import PLHCompute
@_exported import PLHImport
@_exported import PLHLoad
@_exported import PLHModel
@_exported import PLHPackage
@_exported import PLHRender
import Foundation

/// The whole pipeline, as named steps: load → compute → render → write.
///
/// ```swift
/// import PLHBilan
///
/// let generator = try BilanGenerator(projectFolder: "examples/call-2014-2020")
/// let loaded = try generator.load()
/// let achievement = Achievement(project: loaded.project)
/// print(achievement.epci.total.rateAgainstPlan ?? 0)          // 0.4376…
/// let bilan = try generator.render(loaded.project, achievement)  // HTML and CSV annexes in memory
/// ```
public struct BilanGenerator: Sendable {
    /// The folder where a project may keep templates that replace the defaults.
    public static let projectTemplatesFolder = "gabarits"

    public let folder: ProjectFolder
    /// The templates, read and parsed on another thread while the project loads (about a tenth of a render).
    private let pendingRenderer: Background<Result<BilanRenderer, BilanError>>
    /// The folder given with `--templates`, if any.
    public let externalTemplates: String?
    /// What the host decided (fixed time, Chromium); built by the command line or a server, never read here.
    public let settings: RunSettings

    /// Prepares a generator for a project: the templates (defaults, then the project's `gabarits/`,
    /// then `templates`, if given) are read and checked from now on, beside the project's load. Their errors come
    /// before any error of the project's files: `load()` and `renderer` throw them first.
    public init(projectFolder: String, templates: String? = nil, settings: RunSettings = RunSettings()) throws(BilanError) {
        folder = ProjectFolder(projectFolder)
        externalTemplates = templates
        self.settings = settings
        // The project's templates folder must be inside the project, not a link to elsewhere.
        let projectTemplates = try folder.resolve(Self.projectTemplatesFolder, referencedAt: nil)
        var overrides = [(projectTemplates, folder.display(Self.projectTemplatesFolder))]
        if let templates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: templates, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw BilanError(.usage, at: nil, "dossier de gabarits « \(templates) » introuvable")
            }
            overrides.append((URL(fileURLWithPath: templates), templates))
        }
        let folders = overrides
        pendingRenderer = Background {
            Result { () throws(BilanError) -> BilanRenderer in BilanRenderer(templates: try TemplateSet(overrides: folders)) }
        }
    }

    /// The renderer of the generator's templates, once they are read; their errors if they have any.
    public var renderer: BilanRenderer {
        get throws(BilanError) { try pendingRenderer.value.get() }
    }

    /// Step 1: reads and validates the project's files. An error of the templates comes first.
    public func load() throws(BilanError) -> LoadedProject {
        let loaded = Result { () throws(BilanError) -> LoadedProject in try ProjectLoader(folder: folder).load() }
        _ = try renderer
        return try loaded.get()
    }

    /// Step 3: the HTML document and CSV annexes (step 2 is `Achievement(project:)`).
    public func render(_ project: Project, _ achievement: Achievement) throws(BilanError) -> RenderedBilan {
        try renderer.render(project: project, achievement: achievement)
    }

    /// Where `outputRoot/<project folder name><suffix>` goes, refused when it is, contains or lies inside the project.
    func destination(in outputRoot: String, suffix: String) throws(BilanError) -> Pipeline.Destination {
        let name = folder.url.lastPathComponent + suffix
        let url = URL(fileURLWithPath: outputRoot).appendingPathComponent(name)
        let display = (outputRoot.hasSuffix("/") ? outputRoot : outputRoot + "/") + name
        try OutputWriter.checkApart(destination: url.path, display: display, input: folder.url.path, inputDisplay: folder.displayPath)
        return Pipeline.Destination(url, display: display)
    }

    /// The pipeline's later steps with this generator's templates and settings, and `printer`.
    func pipeline(_ printer: PDFPrinter?) throws(BilanError) -> Pipeline {
        Pipeline(renderer: try renderer, settings: settings, printer: printer)
    }

    /// All steps, then writes `outputRoot/<project folder name>/` atomically; with `pdf`, `bilan.pdf` too.
    public func generate(into outputRoot: String, pdf: Bool = false) throws(BilanError) -> GenerationResult {
        let destination = try destination(in: outputRoot, suffix: "")
        let printer = pdf ? try PDFPrinter(settings: settings) : nil
        let loaded = try load()
        let pipeline = try pipeline(printer)
        let produced = try pipeline.run(loaded.project, folder: destination, archive: nil)
        return GenerationResult(outputFolder: destination.display, files: produced.bilan.files.map(\.path), warnings: loaded.warnings + produced.bilan.warnings,
                                achievement: produced.achievement)
    }
}

extension BilanGenerator {
    /// All steps, then the submission archive `outputRoot/<project folder name>.zip`, written atomically.
    /// An incomplete bilan (no objective, no production, narratives to write) is refused unless `draft`:
    /// then the archive is a draft, which its cover, its LISEZMOI and its manifest say.
    public func package(into outputRoot: String, pdf: Bool = false, draft: Bool = false) throws(BilanError) -> PackageResult {
        let destination = try destination(in: outputRoot, suffix: ".zip")
        let printer = pdf ? try PDFPrinter(settings: settings) : nil
        let loaded = try load()
        var pipeline = try pipeline(printer)
        pipeline.allowsDrafts = draft
        var templates: [(path: String, bytes: [UInt8])] = []
        if let externalTemplates {
            let url = URL(fileURLWithPath: externalTemplates)
            for name in templateFiles(in: "", of: url) {
                guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else { continue }
                templates.append((name, [UInt8](data)))
            }
        }
        let produced = try pipeline.run(loaded.project, folder: nil, archive: destination, inputs: { () throws(BilanError) in
            var inputs: [(path: String, bytes: [UInt8])] = []
            let projectTemplates = templateFiles(in: Self.projectTemplatesFolder, of: folder.url).map { "\(Self.projectTemplatesFolder)/\($0)" }
            for path in loaded.inputFiles + projectTemplates {
                inputs.append((path, try folder.read(path, referencedAt: nil)))
            }
            return inputs
        }, templates: templates)
        let package = produced.package!
        return PackageResult(archive: destination.display, files: package.files.map(\.path) + [SubmissionPackage.manifestName],
                             sha256: SHA256.hex(produced.archive!), warnings: loaded.warnings + produced.bilan.warnings, isDraft: package.isDraft)
    }

    /// The `.mustache` files of a folder, sorted; none when it does not exist.
    func templateFiles(in relative: String, of base: URL) -> [String] {
        let url = relative.isEmpty ? base : base.appendingPathComponent(relative)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".mustache") }.sorted()
    }
}

/// What `package(into:)` wrote.
public struct PackageResult: Sendable {
    /// The archive's path, as shown to the user.
    public var archive: String
    public var files: [String]
    /// SHA-256 of the whole archive.
    public var sha256: String
    public var warnings: [Diagnostic]
    /// Whether the archive is a draft of an incomplete bilan (`package(draft: true)`).
    public var isDraft = false
}

/// What `generate(into:)` wrote.
public struct GenerationResult: Sendable {
    /// The bilan's folder, as shown to the user.
    public var outputFolder: String
    /// Files written, relative to `outputFolder`.
    public var files: [String]
    public var warnings: [Diagnostic]
    public var achievement: Achievement
}
