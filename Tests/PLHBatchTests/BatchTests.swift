import Foundation
import PLHBase
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHBatch
@testable import PLHLoad

/// The fixture observatory copied to a temporary folder, so that tests can change it.
struct ObservatoryCopy {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/observatoire")
    let root: URL
    var input: String { root.appendingPathComponent("observatoire").path }
    var output: String { root.appendingPathComponent("sortie").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture, to: root.appendingPathComponent("observatoire"))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func edit(_ file: String, _ change: (String) -> String) throws {
        let url = root.appendingPathComponent("observatoire/\(file)")
        try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
    }

    func run(_ configure: (inout BatchOptions) -> Void = { _ in }) throws -> BatchReport {
        var options = BatchOptions()
        options.output = output
        configure(&options)
        return try BatchRunner(input: input, options: options).run()
    }

    func status(_ report: BatchReport) -> [String: String] {
        Dictionary(uniqueKeysWithValues: report.results.map { ($0.siren, $0.status.rawValue) })
    }

    /// Every file of the output with its bytes, for comparisons.
    func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let base = URL(fileURLWithPath: folder)
        for case let path as String in FileManager.default.enumerator(atPath: folder)! {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: base.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files[path] = FileManager.default.contents(atPath: base.appendingPathComponent(path).path) }
        }
        return files
    }
}

@Suite struct BatchTests {
    /// The workbook doubles a national batch's work: only on request, and then the bilan's annex list names it.
    @Test func theWorkbookIsWrittenOnRequest() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let report = try copy.run()
        let folder = try #require(report.results.first { $0.siren == "200000001" }?.folder)
        let annexes = URL(fileURLWithPath: copy.output).appendingPathComponent("\(folder)/annexes")
        #expect(!FileManager.default.fileExists(atPath: annexes.appendingPathComponent("annexes.xlsx").path))
        let html = try String(contentsOf: annexes.deletingLastPathComponent().appendingPathComponent("bilan.html"), encoding: .utf8)
        #expect(!html.contains("annexes.xlsx") && html.contains("realisation-communes.csv"))
        let again = try copy.run { $0.workbook = true }
        #expect(again.results.first { $0.siren == "200000001" }?.status == .rendered, "asking for the workbook renders again")
        #expect(FileManager.default.fileExists(atPath: annexes.appendingPathComponent("annexes.xlsx").path))
        let withWorkbook = try String(contentsOf: annexes.deletingLastPathComponent().appendingPathComponent("bilan.html"), encoding: .utf8)
        #expect(withWorkbook.contains("annexes.xlsx"))
    }

    @Test func oneBrokenEPCIDoesNotStopTheOthers() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let report = try copy.run()
        #expect(copy.status(report) == ["200000001": "rendu", "200000002": "rendu", "200000003": "rendu", "200000004": "rendu",
                                        "200000005": "erreur"])
        let broken = try #require(report.results.first { $0.siren == "200000005" })
        #expect(broken.diagnostics.map(\.message) == ["segment « prive » non déclaré dans observatoire.yaml",
                                                       "nombre de logements « x » n'est pas un nombre entier positif"])
        #expect(broken.diagnostics.first?.location?.line == 12)
        #expect(report.warnings.first?.message == "1 ligne de production.csv ignorée : commune absente du fichier du territoire (territoire.csv)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: copy.output).sorted()
        #expect(folders == [".empreinte-lot", ".empreintes", "200000001-ca-du-pays-ajaccien", "200000002-ca-cap-excellence", "200000003-cc-des-deux-rives",
                            "200000004-metropole-d-essai", "rapport-batch.csv", "synthese"])
        let rapport = String(decoding: try Data(contentsOf: URL(fileURLWithPath: copy.output + "/rapport-batch.csv")), as: UTF8.self)
        #expect(rapport.contains("200000005;CA aux données fausses;erreur;;"))
        #expect(rapport.contains("objectifs.csv;12;16;segment « prive » non déclaré dans observatoire.yaml"))
    }

    @Test func codesAndDepartmentsAreKeptAsStrings() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let report = try copy.run()
        let corsica = try #require(report.results.first { $0.siren == "200000001" })
        #expect(corsica.department == "2A")
        #expect(report.results.first { $0.siren == "200000002" }?.department == "971")
        let csv = String(decoding: try Data(contentsOf: URL(fileURLWithPath: copy.output + "/synthese/synthese-epci.csv")), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("\u{FEFF}siren;epci;departement;regroupement;objectif_plh;objectif_a_date;production;taux_realisation_plh"))
        #expect(lines.contains { $0.hasPrefix("200000001;CA du Pays Ajaccien;2A;;756;378;169;22,4;44,7;1;") })
        #expect(lines.contains { $0.hasPrefix("200000004;Métropole d'essai;59;MEL et Pévèle Carembault;") })
        let html = String(decoding: try Data(contentsOf: URL(fileURLWithPath: copy.output + "/synthese/synthese.html")), as: UTF8.self)
        #expect(html.contains("<a href=\"../200000004-metropole-d-essai/bilan.html\">Métropole d’essai</a>"))
        #expect(html.contains("Par Secteur du PDH"))
        // The narrative given by SIREN cites its figures.
        let metropole = String(decoding: try Data(contentsOf: URL(fileURLWithPath: copy.output + "/200000004-metropole-d-essai/bilan.html")), as: UTF8.self)
        #expect(metropole.contains("La métropole produit 1\u{202F}500 logements, soit 25\u{A0}% de son objectif."))
    }

    @Test func departmentFilterIncludesEPCIsSpanningIt() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let report = try copy.run { $0.departments = ["38"] }
        #expect(report.results.map(\.siren) == ["200000003"], "its seat is in 01, one commune in 38")
        let bySiren = try copy.run { $0.sirens = ["200000002"]; $0.force = true }
        #expect(bySiren.results.map(\.siren) == ["200000002"])
    }

    @Test func unchangedEPCIsAreSkippedAndChangesInvalidateOnlyTheirs() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        _ = try copy.run()
        let again = try copy.run()
        #expect(again.unchanged == 4 && again.rendered == 0 && again.failed == 1)
        #expect(again.results.first { $0.siren == "200000005" }?.diagnostics.count == 2, "the failures are told again")

        // A folder removed by hand is noticed: that EPCI is rendered again, and only it.
        try FileManager.default.removeItem(atPath: copy.output + "/200000003-cc-des-deux-rives")
        let repaired = try copy.run()
        #expect(copy.status(repaired)["200000003"] == "rendu")
        #expect(repaired.rendered == 1 && repaired.unchanged == 3)

        try copy.edit("production.csv") { $0.replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;2020;social;51") }
        let data = try copy.run()
        #expect(copy.status(data)["200000001"] == "rendu")
        #expect(data.rendered == 1)

        try copy.edit("recits/200000004/bilan-global.md") { $0 + "\nUne phrase de plus.\n" }
        let narrative = try copy.run()
        #expect(copy.status(narrative)["200000004"] == "rendu")
        #expect(narrative.rendered == 1)

        let templates = copy.root.appendingPathComponent("gabarits")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("<header><h1>{{epci.nom}}</h1></header>\n".utf8).write(to: templates.appendingPathComponent("couverture.mustache"))
        let template = try copy.run { $0.templates = templates.path }
        #expect(template.rendered == 4, "a template change renders every EPCI again")

        let forced = try copy.run { $0.templates = templates.path; $0.force = true }
        #expect(forced.rendered == 4 && forced.unchanged == 0)
    }

    @Test func theStampIndexListsRenderedFoldersAndSurvivesFilteredRuns() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        _ = try copy.run()
        let index = URL(fileURLWithPath: copy.output).appendingPathComponent(BatchRunner.stampIndexFile)
        let lines = String(decoding: try Data(contentsOf: index), as: UTF8.self).split(separator: "\n")
        #expect(lines.map { $0.split(separator: " ")[1] } == ["200000001-ca-du-pays-ajaccien", "200000002-ca-cap-excellence",
                                                             "200000003-cc-des-deux-rives", "200000004-metropole-d-essai"])
        #expect(lines.allSatisfy { $0.split(separator: " ")[0].count == 64 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy.output + "/200000001-ca-du-pays-ajaccien").sorted()
                == ["annexes", "bilan.html"], "a bilan's folder holds what render writes, nothing more")

        // A run limited to one EPCI keeps the others' lines: a full run after it renders nothing.
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "2A004;2020;social;50", with: "2A004;2020;social;51") }
        let one = try copy.run { $0.sirens = ["200000001"] }
        #expect(one.rendered == 1)
        let all = try copy.run()
        #expect(all.rendered == 0 && all.unchanged == 4)

        // Without its index (an interrupted run), every EPCI is rendered again rather than trusted.
        try FileManager.default.removeItem(at: index)
        try FileManager.default.removeItem(atPath: copy.output + "/" + BatchRunner.batchStampFile)
        #expect(try copy.run().rendered == 4)
    }

    @Test func parallelAndSequentialRunsWriteTheSameBytes() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let sequential = copy.root.appendingPathComponent("seq").path, parallel = copy.root.appendingPathComponent("par").path
        _ = try copy.run { $0.output = sequential; $0.jobs = 1 }
        _ = try copy.run { $0.output = parallel; $0.jobs = 4 }
        let a = copy.snapshot(sequential), b = copy.snapshot(parallel)
        #expect(a.count > 10)
        #expect(a.keys.sorted() == b.keys.sorted())
        for key in a.keys.sorted() { #expect(a[key] == b[key], "\(key) differs") }
    }

    /// Issue 11, defect 6: the count given to the progress callback was read without the store's lock, so two
    /// workers could both report the same count (and ThreadSanitizer reported the race). Each count is now
    /// given once, from 1 to the number of EPCIs.
    @Test func progressCountsEachEPCIOnce() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var counts: [Int] = []
            var totals: Set<Int> = []
        }
        for _ in 0..<5 {
            let seen = Seen()
            var options = BatchOptions()
            options.output = copy.output
            options.force = true
            options.jobs = 4
            _ = try BatchRunner(input: copy.input, options: options).run { done, total in
                seen.lock.lock()
                seen.counts.append(done)
                seen.totals.insert(total)
                seen.lock.unlock()
            }
            #expect(seen.counts.sorted() == [1, 2, 3, 4, 5])
            #expect(seen.totals == [5])
        }
    }

    @Test func packagesAreWrittenForEveryRenderedEPCI() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let report = try copy.run { $0.package = true }
        #expect(report.rendered == 4)
        let zips = try FileManager.default.contentsOfDirectory(atPath: copy.output).filter { $0.hasSuffix(".zip") }.sorted()
        #expect(zips == ["200000001-ca-du-pays-ajaccien.zip", "200000002-ca-cap-excellence.zip", "200000003-cc-des-deux-rives.zip",
                         "200000004-metropole-d-essai.zip"])
    }

    @Test func aFolderOfProjectsBatchesToo() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var options = BatchOptions()
        options.output = out.path
        let report = try BatchRunner(input: TestProject.repositoryRoot.appendingPathComponent("examples").path, options: options).run()
        #expect(report.results.map(\.siren) == ["200000172", "246200364"])
        #expect(report.results.first { $0.siren == "246200364" }?.department == "62")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("246200364-communaute-d-agglomeration-de-lens-lievin/bilan.html").path))
    }

    @Test func anEmptyFolderIsAnError() {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-vide-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: BilanError.self) { try BatchRunner(input: empty.path, options: BatchOptions()).run() }
    }
}

@Suite struct CommuneKeyTests {
    @Test func codesBecomeDistinctSmallNumbers() {
        #expect(CommuneKey.of("62498") == 62498)
        #expect(CommuneKey.of("01001") == 1001)
        #expect(CommuneKey.of("2A004") == 200_004)
        #expect(CommuneKey.of("2B033") == 201_033)
        #expect(CommuneKey.of("97101") == 97101)
        #expect(CommuneKey.of("9710") == nil)
        #expect(CommuneKey.of("2C004") == nil)
        #expect(CommuneKey.of("6249x") == nil)
    }
}

@Suite struct BatchLeftoverTests {
    @Test func leftoversOfAnInterruptedBatchAreRemovedOnce() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        let stale = URL(fileURLWithPath: copy.output).appendingPathComponent(".200000001-ca-du-pays-ajaccien.tmp-999999999-2")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        _ = try copy.run()
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }
}

@Suite struct FastProductionTests {
    func load(_ copy: ObservatoryCopy, fast: Bool) throws -> Observatory {
        var loader = ObservatoryLoader(folder: ProjectFolder(copy.input, displayPath: "observatoire"))
        loader.fastPaths = fast
        return try loader.load()
    }

    /// The clean-shape fast path and the general CSV path give the same projects, fingerprints and warnings.
    @Test func bothPathsAgree() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "62498;2021;social;x\n", with: "") + "\n" }
        let fast = try load(copy, fast: true), general = try load(copy, fast: false)
        #expect(fast.entries.map(\.siren) == general.entries.map(\.siren))
        #expect(fast.entries.map(\.fingerprint) == general.entries.map(\.fingerprint))
        for (a, b) in zip(fast.entries, general.entries) {
            #expect((try? a.project.get())?.production == (try? b.project.get())?.production, "\(a.siren)")
        }
        #expect(fast.warnings == general.warnings)
        #expect(fast.warnings.first?.location == SourceLocation(path: "observatoire/production.csv", line: 16, column: 1))
        #expect(fast.inputFiles == general.inputFiles)
        #expect((try? fast.entries[0].project.get())?.production.count == 4)
    }

    /// A production table large enough to be mapped (`FileBytes`) rather than read: the same projects and warnings.
    @Test func bothPathsAgreeOnAMappedTable() throws {
        let copy = try ObservatoryCopy()
        defer { copy.remove() }
        // Rows of a commune outside the territory, counted by both paths, past the mapping threshold.
        let padding = String(repeating: "99999;2021;social;1\n", count: FileBytes.mappingThreshold / 20 + 10)
        try copy.edit("production.csv") { $0.replacingOccurrences(of: "62498;2021;social;x\n", with: "") + padding }
        let size = try FileManager.default.attributesOfItem(atPath: copy.input + "/production.csv")[.size] as? Int ?? 0
        #expect(size >= FileBytes.mappingThreshold)
        let fast = try load(copy, fast: true), general = try load(copy, fast: false)
        #expect(fast.entries.map(\.fingerprint) == general.entries.map(\.fingerprint))
        for (a, b) in zip(fast.entries, general.entries) {
            #expect((try? a.project.get())?.production == (try? b.project.get())?.production, "\(a.siren)")
        }
        #expect(fast.warnings == general.warnings)
        // The fixture's own row of an unknown commune, and the padding's.
        #expect(fast.warnings.contains { $0.message.hasPrefix("\(FileBytes.mappingThreshold / 20 + 11) lignes de production.csv ignorées") })
    }

    /// The fast path's records for one EPCI of the communes 2A004 and 01001, or nil when it leaves the file to the
    /// general path; with the count of rows of unknown communes and the line of the first.
    func fast(_ text: String, plan: ClosedRange<Int> = 2020...2025, parts: Int = 2)
        -> (records: [ProductionRecord], unknown: Int, firstUnknownLine: Int?)? {
        let reader = FastProduction(bytes: Array(text.utf8), segments: ["social", "libre"])
        guard let rows = reader.read(parts: parts),
              let read = PackedProduction.distribute(rows, communes: ["2A004": 0, "01001": 0], hasPlan: [true], plans: [plan],
                                                     segmentCodes: ["social", "libre"]) else { return nil }
        return (read.production.records(of: 0), read.unknown, read.firstUnknown.map { rows.line(ofRow: $0) })
    }

    @Test func anythingUnusualTakesTheGeneralPath() {
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;social;\"5\"\n") == nil)
        #expect(fast("code_insee;annee;segment\n2A004;2020;social\n") == nil)
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;prive;5\n") == nil, "an undeclared segment")
        #expect(fast("code_insee;annee;segment;logements\n2A004;2019;social;5\n") == nil,
                "a year outside the plan is an error the general path words")
        #expect(fast("code_insee;annee;segment;logements\r2A004;2020;social;5\r") == nil, "lone CR line ends")
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;social;1000001\n") == nil, "more than Limits.dwellings")
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;social;5;\n") == nil, "a fifth field")
        #expect(fast("code_insee;annee;segment;logements\n2A004;20x0;social;5\n") == nil)
        #expect(fast("code_insee;annee;segment;logements\n2A04;2020;social;5\n") == nil, "a four-character code")
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;soc ial;5\n") == nil)
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;;5\n") == nil, "an empty segment")
        #expect(fast("code_insee;annee;segment;logements\n2A004;2020;social;\n") == nil, "an empty count")
        let clean = fast("\u{FEFF}code_insee;annee;segment;logements\r\n2A004;2020;social;5\r\n\r\n01001;2021;libre;7")
        #expect(clean?.records == [ProductionRecord(commune: "2A004", year: 2020, segment: "social", dwellings: 5),
                                   ProductionRecord(commune: "01001", year: 2021, segment: "libre", dwellings: 7)])
        #expect(clean?.unknown == 0 && clean?.firstUnknownLine == nil)
    }

    @Test func slicesAgreeWithOneWalkWhereverTheyAreCut() {
        // Rows of known and unknown communes, blank lines, CR LF and LF: cut in 1 to 7 slices, the same records,
        // the same count of unknown rows and the same line for the first.
        var text = "code_insee;annee;segment;logements\n"
        for n in 0..<40 {
            text += n % 9 == 4 ? "99999;2020;social;1\n" : "\(n % 2 == 0 ? "2A004" : "01001");\(2020 + n % 6);\(n % 3 == 0 ? "libre" : "social");\(n)"
            text += n % 9 == 4 ? "" : (n % 5 == 0 ? "\r\n" : "\n")
            if n % 7 == 3 { text += "\n" }
        }
        let one = fast(text, parts: 1)
        #expect(one?.records.count == 36)
        #expect(one?.records.map(\.dwellings) == (0..<40).filter { $0 % 9 != 4 }, "file order kept")
        #expect(one?.unknown == 4)
        #expect(one?.firstUnknownLine == 7, "n = 4, after the header and a blank line")
        for parts in 2...7 {
            let sliced = fast(text, parts: parts)
            #expect(sliced?.records == one?.records, "\(parts) slices")
            #expect(sliced?.unknown == one?.unknown && sliced?.firstUnknownLine == one?.firstUnknownLine, "\(parts) slices")
        }
    }

    @Test func packedRowsKeepTheirFieldsUpToTheLimits() {
        for (key, segment, year, dwellings) in [(0, 0, 0, 0), (201_999, 255, 65_535, Limits.dwellings), (62498, 3, 2024, 17)] {
            let row = PackedRow.pack(key: key, segment: segment, year: year, dwellings: dwellings)
            #expect(row.map { [PackedRow.key($0), PackedRow.segment($0), PackedRow.year($0), PackedRow.dwellings($0)] }
                    == [key, segment, year, dwellings])
        }
        #expect(PackedRow.pack(key: 1 << 18, segment: 0, year: 2020, dwellings: 1) == nil)
        #expect(PackedRow.pack(key: 1, segment: 256, year: 2020, dwellings: 1) == nil)
        #expect(PackedRow.pack(key: 1, segment: 0, year: 65_536, dwellings: 1) == nil)
        #expect(PackedRow.pack(key: 1, segment: 0, year: 2020, dwellings: 1 << 20) == nil)
        #expect(PackedRow.pack(key: -1, segment: 0, year: 2020, dwellings: 1) == nil)
    }

    /// An EPCI's fingerprint changes with any of its rows' fields and with their order.
    @Test func theProductionFingerprintSeesEveryFieldAndTheOrder() {
        let rows = [ProductionRecord(commune: "2A004", year: 2020, segment: "social", dwellings: 5),
                    ProductionRecord(commune: "01001", year: 2021, segment: "libre", dwellings: 7)]
        let segments = ["social", "libre"]
        let base = PackedRow.fingerprint(rows, segments: segments)
        var changed = [rows.reversed().map { $0 }]
        for change in [{ (r: inout ProductionRecord) in r.commune = "01002" }, { $0.year = 2022 }, { $0.segment = "libre" },
                       { $0.dwellings = 6 }] as [(inout ProductionRecord) -> Void] {
            var copy = rows
            change(&copy[0])
            changed.append(copy)
        }
        changed.append([rows[0]])
        changed.append([ProductionRecord(commune: "9710", year: 2020, segment: "social", dwellings: 5)] + rows.dropFirst())
        let prints = changed.map { PackedRow.fingerprint($0, segments: segments) }
        #expect(!prints.contains(base))
        #expect(Set(prints).count == prints.count)
        #expect(PackedRow.fingerprint(rows, segments: segments) == base, "the same rows, the same fingerprint")
    }
}

@Suite struct SeatDepartmentTests {
    @Test func theSeatsDepartmentComesFromTheDGCLFile() {
        #expect(JobContext.seatDepartments["246200364"] == "62", "the CALL's seat, Liévin, is in the Pas-de-Calais")
        #expect(JobContext.seatDepartments.count > 1_000)
    }
}
