import Foundation
import PLHCompute
import PLHLoad
import PLHImport
@_spi(Testing) import PLHBase
import PLHModel
import PLHPackage
import PLHRender

/// How a batch runs.
public struct BatchOptions: Sendable {
    public var output = "output"
    /// Parallel workers; all cores by default.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Only EPCIs of these départements (seat or member communes), if set.
    public var departments: Set<String>?
    /// Only these EPCIs, if set.
    public var sirens: Set<String>?
    /// Render every EPCI, even those whose inputs did not change.
    public var force = false
    /// Write each EPCI's submission archive too.
    public var package = false
    /// Whether each EPCI's annexes include the workbook (`annexes.xlsx`): off by default, it doubles a
    /// national batch's processor time (measured: 2.2-2.7 s of user time without, 4.9-5.3 s with).
    public var workbook = false
    /// A templates folder that overrides the defaults (and the observatory's `gabarits/`).
    public var templates: String?
    /// What the host decided: the fixed time of archives, whether phases are timed.
    public var settings = RunSettings()
    /// For tests: writes whose shown path this accepts fail as on a full disk.
    var simulatedFullDisk: (@Sendable (String) -> Bool)?

    /// The writer every output of the batch goes through.
    var writer: OutputWriter {
        var writer = OutputWriter()
        writer.simulatedFullDisk = simulatedFullDisk
        // No fsync per archive (1 255 of them cost more than the rest of the writing): a batch's outputs, bilan
        // folders and archives alike, are rebuilt from its inputs, and its stamp is written last.
        writer.syncsEachFile = false
        // Leftovers of an interrupted batch are removed once at its start (`renderAll`), not by each of the writes
        // that follow: each would list the output folder's thousand entries again.
        writer.removesLeftovers = false
        return writer
    }

    public init() {}
}

/// What became of one EPCI.
public struct BatchItemResult: Sendable {
    public enum Status: String, Sendable {
        case rendered = "rendu"
        case unchanged = "inchange"
        case failed = "erreur"
    }

    public var siren: String
    public var name: String
    public var department: String
    public var group: String?
    /// The EPCI's folder in the output, when rendered now or before.
    public var folder: String?
    public var status: Status
    public var diagnostics: [Diagnostic]
    public var figures: UnitFigures?
    public var bilan: Bilan?
    /// The fingerprint of what the EPCI's folder was rendered from, for the next run.
    var stamp: String?
    /// Its figures as the stamp index keeps them, when they were read from it (and need not be written again).
    var figuresText: String?

    /// `SIREN name`, or the project folder when it could not be read.
    public var label: String { siren.isEmpty ? name : "\(siren) \(name)" }
}

/// The whole batch: every EPCI's result and the warnings that concern none in particular.
public struct BatchReport: Sendable {
    /// How long a phase of the batch took.
    public struct Phase: Sendable, Equatable {
        public var name: String
        public var seconds: Double
    }

    public var results: [BatchItemResult]
    public var warnings: [Diagnostic]
    /// The phases' durations, when `RunSettings.timing` is on (none for a batch answered from its last report).
    public var phases: [Phase] = []
    public var failed: Int { results.filter { $0.status == .failed }.count }
    public var rendered: Int { results.filter { $0.status == .rendered }.count }
    public var unchanged: Int { results.filter { $0.status == .unchanged }.count }
}

/// Renders the bilan of every EPCI of an observatory or of a folder of project folders, in parallel;
/// an EPCI whose input is wrong is reported and the others go on. Then writes the comparison (synthèse)
/// and `rapport-batch.csv`.
public struct BatchRunner: Sendable {
    /// Each rendered folder's fingerprint, one `STAMP FOLDER` line each: one file for the batch rather than
    /// one more file in each of thousands of folders.
    public static let stampIndexFile = ".empreintes"
    public static let synthesisFolder = "synthese"
    public static let reportFile = "rapport-batch.csv"
    /// Fingerprint of everything a batch was made from, to answer a no-change re-run at once.
    public static let batchStampFile = ".empreinte-lot"

    public let input: String
    public let options: BatchOptions

    public init(input: String, options: BatchOptions) {
        self.input = input
        self.options = options
    }

    /// One unit of work.
    enum Job: Sendable {
        case observatory(Observatory.Entry)
        case project(String)
    }

    public func run(progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(BilanError) -> BatchReport {
        let started = Date()
        let stampURL = URL(fileURLWithPath: options.output).appendingPathComponent(Self.batchStampFile)
        let stamp: Background<String>
        let loading: Background<Result<Work, BilanError>>
        if !options.force && FileManager.default.fileExists(atPath: stampURL.path) {
            // The input loads on the side while its stamp is computed: an unchanged batch answers from its
            // last report (and the load is dropped), a changed one has lost no time.
            loading = Background { Result { () throws(BilanError) in try self.load() } }
            let computed = batchStamp()
            if let previous = previousReport(ifStamped: computed) {
                progress(previous.results.count, previous.results.count)
                return previous
            }
            stamp = Background(computed)
        } else {
            // Nothing to compare it with: the stamp is computed on the side while the batch loads.
            stamp = Background { self.batchStamp() }
            loading = Background(Result { () throws(BilanError) in try self.load() })
        }
        var clock = PhaseClock(since: started, enabled: options.settings.timing)
        var report = try renderAll(loading, clock: &clock, progress: progress)
        try options.writer.writeFile(Array(stamp.value.utf8), to: stampURL, display: "\(options.output)/\(Self.batchStampFile)")
        report.phases = clock.laps
        return report
    }

    /// Every file of the input (and of the templates folder) with the options that change the output.
    func batchStamp() -> String {
        var hash = Fingerprint()
        hash.add(PLHBilanVersion.current, String(options.package), String(options.workbook), (options.departments ?? []).sorted().joined(separator: ","),
                 (options.sirens ?? []).sorted().joined(separator: ","))
        // The output may sit inside the input (input « . », output « output »): it is not an input.
        let outputPath = URL(fileURLWithPath: options.output).standardizedFileURL.path
        for root in [input] + (options.templates.map { [$0] } ?? []) {
            let base = URL(fileURLWithPath: root).standardizedFileURL
            var files: [String] = []
            if let walker = FileManager.default.enumerator(atPath: base.path) {
                while let path = walker.nextObject() as? String {
                    let full = base.appendingPathComponent(path).path
                    if full == outputPath || full.hasPrefix(outputPath + "/") { walker.skipDescendants(); continue }
                    files.append(path)
                }
            }
            for path in files.sorted() {
                // A checksum that reads tens of megabytes in a few milliseconds (XXH64, `Checksum`): the stamp only
                // has to see a change, and it is computed on every re-run, beside the load. A folder, or a file that
                // cannot be read, counts by its name: when the file can be read again, the stamp changes.
                hash.add(path, Checksum.fileHex(atPath: base.appendingPathComponent(path).path) ?? "?")
            }
        }
        return hash.hex
    }

    /// The last report, when the batch stamp says nothing changed and every rendered folder is still there.
    func previousReport(ifStamped stamp: String) -> BatchReport? {
        let output = URL(fileURLWithPath: options.output)
        guard let stored = FileManager.default.contents(atPath: output.appendingPathComponent(Self.batchStampFile).path),
              String(decoding: stored, as: UTF8.self) == stamp,
              let bytes = FileManager.default.contents(atPath: output.appendingPathComponent(Self.reportFile).path),
              let document = try? CSVDocument(bytes: [UInt8](bytes), path: Self.reportFile),
              document.records.count > 1 else { return nil }
        var results: [BatchItemResult] = []
        var warnings: [Diagnostic] = []
        for record in document.records.dropFirst() where record.fields.count == 8 {
            let f = record.fields
            let location = f[4].isEmpty ? nil : SourceLocation(path: f[4], line: Int(f[5]), column: Int(f[6]))
            if f[2] == "avertissement" {
                warnings.append(Diagnostic(.warning, at: location, f[7]))
                continue
            }
            let failed = f[2] == BatchItemResult.Status.failed.rawValue
            if !failed, !FileManager.default.fileExists(atPath: output.appendingPathComponent(f[3]).path) { return nil }
            // An EPCI's rows follow each other: its errors, or the warnings of a rendered one.
            let diagnostic = Diagnostic(failed ? .error : .warning, at: location, f[7])
            if let last = results.last, last.siren == f[0], last.name == f[1], (last.status == .failed) == failed {
                results[results.count - 1].diagnostics.append(diagnostic)
                continue
            }
            results.append(BatchItemResult(siren: f[0], name: f[1], department: "", group: nil, folder: f[3].isEmpty ? nil : f[3],
                                           status: failed ? .failed : .unchanged,
                                           diagnostics: f[7].isEmpty ? [] : [diagnostic],
                                           figures: nil, bilan: nil))
        }
        return BatchReport(results: results, warnings: warnings)
    }

    /// What the batch works on, once its input is loaded.
    struct Work: Sendable {
        var jobs: [Job]
        var isObservatory = false
        var overrides: [(URL, String)] = []
        var groupLabel: String?
        var warnings: [Diagnostic] = []
    }

    /// Loads the observatory (or lists the project folders).
    func load() throws(BilanError) -> Work {
        let folder = ProjectFolder(input)
        guard ObservatoryLoader.isObservatory(input) else { return Work(jobs: try projectFolders(folder).map(Job.project)) }
        let observatory = try ObservatoryLoader(folder: folder).load(sirens: options.sirens, departments: options.departments)
        return Work(jobs: observatory.entries.map(Job.observatory), isObservatory: true,
                    overrides: [(try folder.resolve("gabarits", referencedAt: nil), folder.display("gabarits"))],
                    groupLabel: observatory.groupLabel, warnings: observatory.warnings)
    }

    func renderAll(_ loading: Background<Result<Work, BilanError>>, clock: inout PhaseClock,
                   progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void) throws(BilanError) -> BatchReport {
        var work = try loading.take().get()
        let groupLabel = work.groupLabel, warnings = work.warnings
        clock.lap("chargement")
        var overrides = work.overrides
        if let templates = options.templates { overrides.append((URL(fileURLWithPath: templates), templates)) }
        let templateSet = try TemplateSet(overrides: overrides)
        let renderer = BilanRenderer(templates: templateSet, workbook: options.workbook)
        let templatesFingerprint = templateSet.sources.keys.sorted().map { "\($0)\u{0}\(templateSet.sources[$0]!.text)" }
            .joined(separator: "\u{1}")
        // The fixed time is written into archives: it is part of what an archive is made from.
        let epoch = options.settings.sourceDateEpoch.map(String.init) ?? ""
        let salt = SHA256.hex(Array("\(PLHBilanVersion.current)|\(options.package)|\(options.workbook)|\(epoch)|\(templatesFingerprint)".utf8))

        let context = JobContext(input: input, output: options.output, renderer: renderer, salt: salt, options: options,
                                 previousStamps: StampIndex())
        // Every job is first loaded and named, so that the batch is checked as a whole before anything is written.
        let workers = max(1, min(options.jobs, work.jobs.count))
        var jobs = work.jobs
        var loaded = Self.inParallel(jobs.count, workers: workers) { [jobs] in context.prepare(jobs[$0]) }
        var prepared = Self.refusingSharedFolders(filtered(loaded), output: options.output)
        try checkOutputIsOutsideInputs(prepared, isObservatory: work.isObservatory)

        // Leftovers of an interrupted batch are removed once, not by each of the thousands of writes.
        let output = URL(fileURLWithPath: options.output)
        OutputWriter().removeLeftovers(in: output, prefix: "")
        // The index is taken off the disk while folders change, so that it never vouches for a folder an
        // interrupted run replaced; it comes back, complete, once every EPCI is done. The last report and the
        // batch's stamp go too: a batch stopped half-way (a full disk) must not leave a report that calls
        // « rendu » an EPCI whose new bilan was not written (issue 11, defect 19).
        let indexURL = output.appendingPathComponent(Self.stampIndexFile)
        let previousStamps = Self.readStampIndex(indexURL)
        if !previousStamps.lines.isEmpty { unlink(indexURL.path) }
        unlink(output.appendingPathComponent(Self.reportFile).path)
        unlink(output.appendingPathComponent(Self.batchStampFile).path)
        let finishing = JobContext(input: input, output: options.output, renderer: renderer, salt: salt, options: options,
                                   previousStamps: previousStamps)
        let total = prepared.count
        let results = Self.inParallel(total, workers: workers, { [prepared] in finishing.finish(prepared[$0]) }, progress: { progress($0, total) })
        clock.lap("EPCI")
        // Thousands of projects are let go of on the side while the report and the synthesis are made.
        dropOnTheSide((take(&work, leaving: Work(jobs: [])), take(&jobs, leaving: []), take(&loaded, leaving: []),
                       take(&prepared, leaving: [])))
        let report = BatchReport(results: results.sorted { $0.siren < $1.siren }, warnings: warnings)
        // The synthesis is made on the side while the report and the index are written; it is written after them.
        let synthesis = Background { Result { () throws(BilanError) in try self.synthesisFiles(report, groupLabel: groupLabel, templates: templateSet) } }
        // The report first: it says what became of each EPCI even when the disk fills after it. When one of these
        // writes fails, the error names the EPCIs that were not rendered.
        do throws(BilanError) {
            try writeReport(report)
            clock.lap("rapport")
            try writeStampIndex(report, previous: previousStamps, to: indexURL)
            try options.writer.write(try synthesis.value.get(), to: URL(fileURLWithPath: options.output).appendingPathComponent(Self.synthesisFolder),
                                     display: "\(options.output)/\(Self.synthesisFolder)")
            clock.lap("synthèse")
        } catch {
            var failure = error
            for r in report.results where r.status == .failed {
                for d in r.diagnostics {
                    failure.diagnostics.append(Diagnostic(d.severity, at: d.location, "EPCI \(r.label) non rendu : \(d.message)", hint: d.hint))
                }
            }
            throw failure
        }
        return report
    }

    /// `(0..<count).map(body)` on `workers` threads, results in order; `progress` gets how many are done.
    static func inParallel<T: Sendable>(_ count: Int, workers: Int, _ body: @Sendable (Int) -> T,
                                        progress: @Sendable (Int) -> Void = { _ in }) -> [T] {
        let results = ResultStore<T>(count: count)
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while let index = counter.next(below: count) {
                progress(results.set(index, body(index)))
            }
        }
        return results.all
    }

    /// A folder of projects is filtered once its projects are read (an observatory filters as it loads):
    /// `--epci` by SIREN, `--dept` by the départements of the communes (issue 11, defect 18). A project that
    /// could not be read stays, as an error: nothing says it is not one of those asked for.
    func filtered(_ prepared: [Prepared]) -> [Prepared] {
        guard options.sirens != nil || options.departments != nil else { return prepared }
        return prepared.filter { p in
            guard case .project = p.job, let project = p.project else { return true }
            if let sirens = options.sirens, !sirens.contains(project.epci.siren) { return false }
            if let departments = options.departments,
               departments.isDisjoint(with: project.communes.map { CommuneCode.department(of: $0.code) }) {
                return false
            }
            return true
        }
    }

    /// EPCIs that would write the same folder are all errors naming each other's input; none is written
    /// (issue 11, defect 3: the second overwrote the first, and both were reported « rendu »).
    static func refusingSharedFolders(_ prepared: [Prepared], output: String) -> [Prepared] {
        var byFolder: [String: [Int]] = [:]
        for (i, p) in prepared.enumerated() where p.project != nil {
            if let folder = p.result.folder { byFolder[folder, default: []].append(i) }
        }
        var out = prepared
        for (folder, indices) in byFolder where indices.count > 1 {
            let sources = indices.map { "« \(prepared[$0].source) »" }
            for i in indices {
                let others = indices.filter { $0 != i }.map { "« \(prepared[$0].source) »" }
                out[i].project = nil
                out[i].result.folder = nil
                out[i].result.diagnostics = [Diagnostic(at: SourceLocation(path: prepared[i].source),
                    "le dossier de sortie « \(output)/\(folder) » serait écrit aussi par \(frenchList(others)) : aucun n'est rendu",
                    hint: "\(frenchList(sources)) ont le même SIREN et le même nom ; gardez un seul projet par EPCI")]
            }
        }
        return out
    }

    /// Refuses, before anything is written, an output folder that is or lies inside an input folder (a project
    /// folder, the observatory, the folder of projects itself), and an EPCI folder or batch file of the output that
    /// would be or contain an input folder (issue 11, defect 13: writing it would delete the project). Symbolic
    /// links and `..` are resolved first.
    func checkOutputIsOutsideInputs(_ prepared: [Prepared], isObservatory: Bool) throws(BilanError) {
        let root = resolvedPath(options.output)
        var inputs: [(real: String, display: String)] = [(resolvedPath(input), input)]
        if !isObservatory {
            // The folder of projects: the output may sit inside it (beside the projects), not be it.
            if inputs[0].real == root {
                throw Self.overlapError(options.output, "est le dossier des projets « \(input) »")
            }
            inputs = prepared.compactMap { p in
                guard case .project(let path) = p.job else { return nil }
                return (resolvedPath(path), path)
            }
        }
        var written = [Self.synthesisFolder, Self.reportFile, Self.stampIndexFile, Self.batchStampFile]
        for p in prepared where p.project != nil {
            if let folder = p.result.folder { written += [folder] + (options.package ? [folder + ".zip"] : []) }
        }
        let names = Set(written)
        for (real, display) in inputs {
            if real == root || root.hasPrefix(real == "/" ? "/" : real + "/") {
                throw Self.overlapError(options.output, real == root ? "est le dossier d'entrée « \(display) »"
                                                                     : "est dans le dossier d'entrée « \(display) »")
            }
            guard real.hasPrefix(root == "/" ? "/" : root + "/") else { continue }
            let first = String(real.dropFirst(root == "/" ? 1 : root.count + 1).split(separator: "/").first ?? "")
            if names.contains(first) {
                throw Self.overlapError(options.output, "contiendrait « \(first) », qui est ou contient le dossier d'entrée « \(display) »")
            }
        }
    }

    static func overlapError(_ output: String, _ what: String) -> BilanError {
        BilanError(.usage, at: nil, "--output : le dossier de sortie « \(output) » \(what) : l'écrire effacerait ou mêlerait des fichiers d'entrée ; rien n'a été écrit",
                   hint: "choisissez un dossier de sortie hors des dossiers d'entrée, par exemple --output sortie à côté d'eux")
    }

    static func readStampIndex(_ url: URL) -> StampIndex {
        guard let data = FileManager.default.contents(atPath: url.path) else { return StampIndex() }
        return StampIndex(bytes: [UInt8](data))
    }

    /// The last index, updated with this run: EPCIs left out by a filter keep their line, a failed EPCI loses
    /// its own (its folder may hold a newer render than its stamp).
    func writeStampIndex(_ report: BatchReport, previous: StampIndex, to url: URL) throws(BilanError) {
        var index = previous
        for r in report.results {
            guard let folder = r.folder else { continue }
            index.lines[folder] = r.stamp.map { StampIndex.Line(stamp: $0, figures: r.figuresText ?? r.figures.map(FiguresText.encode)) }
        }
        try options.writer.writeFile(Array(index.text.utf8), to: url, display: "\(options.output)/\(Self.stampIndexFile)")
    }

    /// The subfolders that hold a plh.yaml, sorted.
    func projectFolders(_ folder: ProjectFolder) throws(BilanError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? []
        let projects = names.sorted().filter {
            FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("\($0)/\(ProjectLoader.planFileName)").path)
        }
        if projects.isEmpty {
            throw BilanError(.input, at: SourceLocation(path: input),
                             "ni \(ObservatoryLoader.fileName) ni dossier de projet (avec plh.yaml) dans ce dossier",
                             hint: "donnez un dossier d'observatoire ou un dossier qui contient des dossiers de projets")
        }
        return projects.map { folder.display($0) }
    }

    /// The synthesis' files: the page and its CSV, the CSV made on another core.
    func synthesisFiles(_ report: BatchReport, groupLabel: String?, templates: TemplateSet) throws(BilanError) -> [(String, [UInt8])] {
        let rows = report.results.compactMap { r -> Synthesis.Row? in
            guard let figures = r.figures, let bilan = r.bilan else { return nil }
            return Synthesis.Row(siren: r.siren, name: r.name, department: r.department, group: r.group, folder: r.folder,
                                 figures: figures, bilan: bilan)
        }
        let synthesis = Synthesis(rows: rows, groupLabel: groupLabel, failures: report.failed)
        let csv = Background { synthesis.csv() }
        let html = try templates.renderBytes(synthesis.value(), document: SynthesisSchema.rootName)
        return [("synthese.html", html), ("synthese-epci.csv", csv.value)]
    }

    func writeReport(_ report: BatchReport) throws(BilanError) {
        var table = [["siren", "epci", "statut", "dossier", "fichier", "ligne", "colonne", "message"]]
        for r in report.results {
            if r.diagnostics.isEmpty {
                table.append([r.siren, r.name, r.status.rawValue, r.folder ?? "", "", "", "", ""])
            }
            for d in r.diagnostics {
                table.append([r.siren, r.name, r.status.rawValue, r.folder ?? "", d.location?.path ?? "",
                              d.location?.line.map(String.init) ?? "", d.location?.column.map(String.init) ?? "",
                              d.message + (d.hint.map { " (\($0))" } ?? "")])
            }
        }
        for w in report.warnings {
            table.append(["", "", "avertissement", "", w.location?.path ?? "", w.location?.line.map(String.init) ?? "",
                          w.location?.column.map(String.init) ?? "", w.message])
        }
        try options.writer.writeFile(Annexes.encode(table), to: URL(fileURLWithPath: options.output).appendingPathComponent(Self.reportFile),
                                     display: "\(options.output)/\(Self.reportFile)")
    }
}

/// What every job needs; immutable and shared by the workers.
struct JobContext: Sendable {
    let input: String
    let output: String
    let renderer: BilanRenderer
    let salt: String
    let options: BatchOptions
    /// The index of the last run: each folder's stamp and figures.
    let previousStamps: StampIndex

    /// The steps every EPCI goes through, as `render` and `package` do; an incomplete bilan's archive is a draft
    /// that says so. Leftovers were removed once for the whole batch.
    var pipeline: Pipeline {
        var pipeline = Pipeline(renderer: renderer, settings: options.settings)
        pipeline.writer = options.writer
        pipeline.writer.removesLeftovers = false
        pipeline.allowsDrafts = true
        return pipeline
    }

    /// Loads the job (a project folder; an observatory's EPCI is already loaded) and names its output folder.
    func prepare(_ job: BatchRunner.Job) -> Prepared {
        switch job {
        case .observatory(let entry):
            var result = BatchItemResult(siren: entry.siren, name: entry.name, department: entry.department, group: entry.group,
                                         folder: nil, status: .failed, diagnostics: [], figures: nil, bilan: nil)
            let source = "\(input)/plh.csv, SIREN \(entry.siren)"
            switch entry.projectWithoutProduction {
            case .failure(let error):
                result.diagnostics = error.diagnostics
                return Prepared(job: job, source: source, result: result, project: nil, fingerprint: "", inputs: nil)
            case .success(let project):
                result.folder = Self.folderName(project)
                return Prepared(job: job, source: source, result: result, project: project, entry: entry, fingerprint: entry.fingerprint,
                                inputs: nil, warnings: entry.warnings)
            }
        case .project(let path):
            var result = BatchItemResult(siren: "", name: path, department: "", group: nil, folder: nil, status: .failed,
                                         diagnostics: [], figures: nil, bilan: nil)
            let folder = ProjectFolder(path)
            do {
                let loaded = try ProjectLoader(folder: folder).load()
                let project = loaded.project
                var inputs: [(path: String, bytes: [UInt8])] = []
                var hash = Fingerprint()
                for file in loaded.inputFiles + projectTemplates(folder) {
                    let bytes = try folder.read(file, referencedAt: nil)
                    inputs.append((file, bytes))
                    hash.add(file)
                    hash.add(bytes)
                }
                result.siren = project.epci.siren
                result.name = project.epci.name
                result.department = Self.seatDepartments[project.epci.siren] ?? majorityDepartment(project)
                result.folder = Self.folderName(project)
                return Prepared(job: job, source: path, result: result, project: project, fingerprint: hash.hex,
                                inputs: inputs.map { InputFile(path: $0.path, bytes: $0.bytes) }, warnings: loaded.warnings)
            } catch {
                result.diagnostics = error.diagnostics
                return Prepared(job: job, source: path, result: result, project: nil, fingerprint: "", inputs: nil)
            }
        }
    }

    /// `SIREN-name`: the EPCI's folder in the output.
    static func folderName(_ project: Project) -> String {
        "\(project.epci.siren)-\(slug(project.epci.name))"
    }

    func projectTemplates(_ folder: ProjectFolder) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("gabarits").path)) ?? []
        return names.filter { $0.hasSuffix(".mustache") }.sorted().map { "gabarits/\($0)" }
    }

    /// The département of each EPCI's seat, by SIREN, from the DGCL file shipped with the program (its `dept`
    /// column): what the observatory's synthesis groups by. Read once, on first use; empty if it cannot be read.
    static let seatDepartments: [String: String] = {
        guard let file = try? ReferenceData.dgclCommunes(), let data = FileManager.default.contents(atPath: file.path) else { return [:] }
        var result: [String: String] = [:]
        for line in data.split(separator: 0x0A).dropFirst() {
            // `dept,siren,…`: the first two fields, never quoted.
            let fields = line.prefix(40).split(separator: 0x2C, maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let siren = String(decoding: fields[1], as: UTF8.self)
            if result[siren] == nil { result[siren] = String(decoding: fields[0], as: UTF8.self) }
        }
        return result
    }()

    /// The département most of the communes belong to (first two characters of their code, three overseas), for
    /// an EPCI the DGCL file does not know.
    func majorityDepartment(_ project: Project) -> String {
        var counts: [String: Int] = [:]
        for c in project.communes { counts[CommuneCode.department(of: c.code), default: 0] += 1 }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
    }

    /// Computes, then renders and writes unless the same fingerprint is already on disk.
    func finish(_ prepared: Prepared) -> BatchItemResult {
        guard let outline = prepared.project, let name = prepared.result.folder else { return prepared.result }
        let fingerprint = prepared.fingerprint
        var result = prepared.result
        result.bilan = outline.bilan
        let stamp = SHA256.hex(Array("\(salt)|\(fingerprint)".utf8))
        result.stamp = stamp
        // Plain paths for the check: thousands of unchanged EPCIs would spend more in building URLs.
        let path = output + "/" + name
        let previous = previousStamps.lines[name]
        if !options.force, previous?.stamp == stamp,
           access(path, F_OK) == 0, !options.package || access(path + ".zip", F_OK) == 0 {
            result.status = .unchanged
            // The figures its last run kept: the same stamp, the same project, the same figures.
            if let text = previous?.figures, let figures = FiguresText.decode(text, segments: outline.segments) {
                result.figures = figures
                result.figuresText = text
            } else {
                result.figures = Achievement.territory(of: prepared.fullProject)
            }
            result.diagnostics = prepared.warnings
            return result
        }
        let project = prepared.fullProject
        let base = URL(fileURLWithPath: output)
        let folder = Pipeline.Destination(base.appendingPathComponent(name), display: "\(output)/\(name)")
        let archive = options.package ? Pipeline.Destination(base.appendingPathComponent(name + ".zip"), display: "\(output)/\(name).zip") : nil
        do {
            let produced = try pipeline.run(project, folder: folder, archive: archive, inputs: { prepared.inputFiles(of: project) })
            result.figures = produced.achievement.epci
            result.status = .rendered
            // The EPCI is rendered; what its data or narratives have of suspicious goes into the report.
            result.diagnostics = prepared.warnings + produced.bilan.warnings
        } catch {
            result.status = .failed
            result.stamp = nil
            result.diagnostics = error.diagnostics
        }
        return result
    }
}

/// A file of a project, as read for its fingerprint.
struct InputFile: Sendable {
    var path: String
    var bytes: [UInt8]
}

/// A job once loaded: its EPCI's result so far, and what rendering it needs.
struct Prepared: Sendable {
    var job: BatchRunner.Job
    /// The input it comes from, as shown in messages: the project folder, or the observatory's line.
    var source: String
    var result: BatchItemResult
    /// Nil when it failed to load, or must not be rendered. An observatory's EPCI has here its project without its
    /// production rows, which `fullProject` adds.
    var project: Project?
    /// The observatory's EPCI, which makes its production records when asked.
    var entry: Observatory.Entry?
    var fingerprint: String
    /// A project folder's files; an observatory's EPCI has its files written from the project.
    var inputs: [InputFile]?
    /// What its load found suspicious, kept with its result when it is rendered.
    var warnings: [Diagnostic] = []

    /// The project with its production rows, made now for an observatory's EPCI. Only for a job that has a project.
    var fullProject: Project {
        if let entry, case .success(let full) = entry.project { return full }
        return project!
    }

    /// The files the archive carries as the project's inputs: a project folder's own, or an observatory's EPCI's written out.
    func inputFiles(of project: Project) -> [(path: String, bytes: [UInt8])] {
        if let inputs { return inputs.map { ($0.path, $0.bytes) } }
        return ProjectWriter.files(project)
    }
}

/// Hands out job numbers to the workers.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func next(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The workers' results, one slot per job.
final class ResultStore<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private var done = 0
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// Stores a result and returns how many are stored, read under the same lock (issue 11, defect 6: reading
    /// `done` after `set` raced with the other workers' writes).
    func set(_ index: Int, _ result: Value) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
        done += 1
        return done
    }

    var all: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}

/// Phase durations of a batch, when timing is on (`RunSettings.timing`): where the time goes.
struct PhaseClock {
    let enabled: Bool
    private var last: Date
    private(set) var laps: [BatchReport.Phase] = []

    init(since start: Date = Date(), enabled: Bool) {
        last = start
        self.enabled = enabled
    }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = Date()
        laps.append(BatchReport.Phase(name: name, seconds: now.timeIntervalSince(last)))
        last = now
    }
}
