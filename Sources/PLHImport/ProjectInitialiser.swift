import Foundation
import PLHLoad
import PLHBase
import PLHModel

/// Creates a ready-to-edit project folder for one EPCI from the DGCL membership file: its communes with their
/// official names, INSEE codes and municipal populations, one category, the standard segments, an empty
/// objectives table, narratives to write and a plan file whose every key is explained in French.
public struct ProjectInitialiser {
    /// The DGCL file (`epcicom2026_dgcl.csv` format): the shipped one unless `--communes` names another.
    public var communesFile: String? = nil
    /// How the file is named in messages and in `sources.csv`.
    public var communesDisplay: String?
    /// What the host decides (the fixed date of reproducible runs); the command line builds it.
    public var settings = RunSettings()

    public init() {}

    /// One EPCI of the DGCL file.
    struct Membership {
        var name = ""
        var communes: [(code: String, name: String, population: Int)] = []
    }

    /// Writes `folder` (which must not exist or be empty) for the EPCI `siren`; `period` defaults to a plan
    /// that started three years before this year, so that a triennial bilan can be made now.
    /// The bilan the new project is set for: by default a triennal bilan dated today, counting permits.
    public struct BilanChoice: Sendable {
        public var kind: BilanKind
        /// Nil for the day of the run.
        public var date: CalendarDate?
        public var stage: CountingStage

        public init(kind: BilanKind = .triennal, date: CalendarDate? = nil, stage: CountingStage = .autorises) {
            self.kind = kind
            self.date = date
            self.stage = stage
        }

        /// The years such a bilan counts: the plan's first three for a triennal one, all of them for a final one,
        /// the last full year for an annual one; never a year after the bilan's.
        public func countedYears(of plan: ClosedRange<Int>, date: CalendarDate) -> ClosedRange<Int> {
            let lastFull = min(plan.upperBound, max(plan.lowerBound, date.year - 1))
            switch kind {
            case .triennal: return plan.lowerBound...min(lastFull, plan.lowerBound + 2)
            case .final: return plan.lowerBound...lastFull
            case .annuel: return lastFull...lastFull
            }
        }
    }

    /// Writes `folder` (which must not exist or be empty) for the EPCI `siren`; `period` defaults to a plan
    /// that started three years before this year, so that a triennal bilan can be made now.
    public func run(folder: String, siren: String, period: ClosedRange<Int>? = nil,
                    bilan: BilanChoice = BilanChoice()) throws(BilanError) -> InitReport {
        let destination = URL(fileURLWithPath: folder)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
            if !isDirectory.boolValue || !entries.isEmpty {
                throw BilanError(.output, at: SourceLocation(path: folder),
                                 isDirectory.boolValue ? "le dossier « \(folder) » existe déjà et n'est pas vide : init ne remplace pas un projet"
                                                       : "« \(folder) » existe déjà et n'est pas un dossier",
                                 hint: "choisissez un nouveau dossier, ou videz celui-ci")
            }
        }
        let compact = siren.filter { $0 != " " }
        let shipped = self.communesFile == nil
        let communesFile = try ReferenceData.file(self.communesFile.map { URL(fileURLWithPath: $0) }, orShipped: ReferenceData.dgclCommunes).path
        let display = communesDisplay ?? (shipped ? "epcicom2026_dgcl.csv (fichier DGCL livré avec PLH Bilan)" : communesFile)
        let bytes = try readInputFile(communesFile)
        let (memberships, vintage, rows) = try Self.read(bytes, path: display)
        guard let epci = memberships[compact] else {
            let close = nearest(compact, among: Array(memberships.keys))
            let byName = memberships.filter { normalisedName($0.value.name).contains(normalisedName(siren)) }.keys.sorted()
            let candidates = (byName.isEmpty ? close : Array(byName.prefix(3))).map { "\($0) \(memberships[$0]!.name)" }
            throw BilanError(.input, at: SourceLocation(path: display),
                             "SIREN « \(siren) » : aucun EPCI de ce numéro dans le fichier des communes",
                             hint: candidates.isEmpty ? "le SIREN d'un EPCI a 9 chiffres, par exemple 246200364"
                                                      : "SIREN proches : \(candidates.joined(separator: ", "))")
        }
        let today = importDate(settings: settings)
        let years = period ?? (today.year - 3)...(today.year + 2)
        let source = SourceRecord(identifier: URL(fileURLWithPath: communesFile).lastPathComponent, kind: .communes,
                                  file: URL(fileURLWithPath: communesFile).lastPathComponent, sha256: SHA256.hex(bytes),
                                  importDate: today, rowsRead: rows, rowsKept: epci.communes.count)
        let files = ProjectTemplate(siren: compact, epci: epci, vintage: vintage, years: years, today: today, source: source,
                                    bilan: bilan).files
        try OutputWriter().write(files.map { ($0.path, Array($0.text.utf8)) }, to: destination, display: folder)
        return InitReport(folder: folder, epciName: epci.name, communes: epci.communes.count,
                          population: epci.communes.reduce(0) { $0 + $1.population }, populationVintage: vintage,
                          files: files.map(\.path), years: years)
    }

    /// Every EPCI of the file, the population vintage (`2025` from `pmun_2025`) and the number of rows.
    static func read(_ bytes: [UInt8], path: String) throws(BilanError) -> ([String: Membership], String, Int) {
        var memberships: [String: Membership] = [:]
        var diagnostics = Diagnostics()
        let table = try DGCLTable.read(bytes, path: path, diagnostics: &diagnostics) { row in
            memberships[row.siren, default: Membership(name: row.epciName)].communes.append((row.code, row.name, row.population))
        }
        try diagnostics.throwIfErrors()
        return (memberships, table.vintage, table.rows)
    }
}

/// What `init` wrote.
public struct InitReport: Sendable {
    public var folder: String
    public var epciName: String
    public var communes: Int
    public var population: Int
    public var populationVintage: String
    public var files: [String]
    public var years: ClosedRange<Int>
}
