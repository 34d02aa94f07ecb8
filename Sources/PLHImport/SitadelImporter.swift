import Foundation
import PLHLoad
import PLHBase
import PLHModel

/// Imports a Sitadel file of permits creating dwellings (SDES, one row per permit) into a project's
/// production: dwellings per commune, year of the chosen stage, and segment.
///
/// Social rental comes from `NB_LGT_PRET_LOC_SOCIAL`, social ownership from `NB_LGT_ACC_SOC_HORS_PTZ`,
/// the rest of `NB_LGT_TOT_CREES` is free-market housing; each goes to the segment of plh.yaml that declares
/// `sitadel: locatif_social`, `accession_sociale` or `libre`.
public struct SitadelImporter {
    /// The stages a Sitadel file dates.
    public enum Stage: String, CaseIterable, Sendable {
        case autorises, commences, acheves

        /// The columns that date this stage, in the names SDES used over the vintages.
        var dateColumns: [String] {
            switch self {
            case .autorises: ["DATE_REELLE_AUTORISATION", "DATE_AUTORISATION", "DATE_REELLE_AUT"]
            case .commences: ["DATE_REELLE_DOC", "DATE_DOC"]
            case .acheves: ["DATE_REELLE_DAACT", "DATE_DAACT"]
            }
        }

        var words: String {
            switch self {
            case .autorises: "autorisation"
            case .commences: "ouverture de chantier"
            case .acheves: "achèvement"
            }
        }
    }

    /// Accepted names of each column, first the current one. Some vintages give the commune as `DEP` + a
    /// three-digit `COMM`; older ones call the five-character code `DEPCOM`.
    static let communeColumns = ["COMM", "DEPCOM", "COM_COD_COM", "CODE_COMMUNE", "CODGEO"]
    static let departmentColumns = ["DEP", "DEP_CODE", "DEP_COD_DEP"]
    /// The permit's state; `4` is a cancelled permit (annulé), which creates no dwelling.
    static let stateColumns = ["ETAT_DAU"]
    static let totalColumns = ["NB_LGT_TOT_CREES", "NB_LGT_TOT"]
    static let socialRentalColumns = ["NB_LGT_PRET_LOC_SOCIAL", "NB_LGT_LOC_SOC"]
    static let socialOwnershipColumns = ["NB_LGT_ACC_SOC_HORS_PTZ", "NB_LGT_ACC_SOC"]

    public let projectFolder: String
    /// The COG used to recognise old codes of merged communes.
    public var cog: URL = ReferenceData.cogCommunes
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(projectFolder: String) {
        self.projectFolder = projectFolder
    }

    /// The stage a project's bilan counts, as a Sitadel stage, if it is one.
    public static func stage(for bilan: CountingStage) -> Stage? {
        switch bilan {
        case .autorises: .autorises
        case .commences: .commences
        case .livres: .acheves
        case .agrees: nil
        }
    }

    /// Reads `file`, then rewrites the project's production rows from this file and its record in `sources.csv`.
    /// Without `stage`, the bilan's own stage.
    public func run(file: String, stage: Stage? = nil) throws(BilanError) -> ImportReport {
        let folder = ProjectFolder(projectFolder)
        let loaded = try ProjectLoader(folder: folder).load()
        let project = loaded.project
        guard let stage = stage ?? Self.stage(for: project.bilan.stage) else {
            throw BilanError(.usage, at: nil, "le bilan compte les logements agréés : précisez le stade des permis à importer",
                             hint: "--stage autorises, --stage commences ou --stage acheves")
        }
        var segmentOf: [SitadelBucket: String] = [:]
        for segment in project.segments { if let bucket = segment.sitadel { segmentOf[bucket] = segment.code } }
        let unclaimed = SitadelBucket.allCases.filter { segmentOf[$0] == nil }.map(\.rawValue)
        if !unclaimed.isEmpty {
            throw BilanError(.input, at: segmentsLocation(folder),
                             "aucun segment ne reçoit \(frenchEnumeration(unclaimed.map { "« \($0) »" })) des permis Sitadel",
                             hint: "ajoutez « sitadel: \(unclaimed[0]) » au segment qui doit recevoir ces logements")
        }

        let bytes = try readInputFile(file)
        let identifier = URL(fileURLWithPath: file).lastPathComponent
        let resolver = try CommuneResolver(communes: project.communes, cog: cog)
        let plan = project.plan.years
        var diagnostics = Diagnostics()
        var notes = Diagnostics()
        var tally = ImportTally(unit: ("permis", "permis", false))
        var noDate = 0
        var cancelled = (rows: 0, dwellings: 0)
        var padded: (count: Int, first: SourceLocation?) = (0, nil)

        func process(_ record: CSVRecord, _ layout: SitadelLayout) {
            let (table, commune, department, date, total, social, ownership) = (layout.table, layout.commune, layout.department, layout.date, layout.total, layout.social, layout.ownership)
            guard let row = table.row(record, diagnostics: &diagnostics) else { return }
            tally.read += 1
            if let state = layout.state, row[state] == "4" {
                cancelled.rows += 1
                cancelled.dwellings += dwellingCount(row[total]) ?? 0
                return
            }
            var raw = row[commune]
            if let department, raw.count <= 3, !raw.isEmpty, raw.allSatisfy(\.isPlainDigit) {
                let dep = row[department]
                raw = String((dep.count == 1 ? "0" + dep : dep).prefix(2)) + String(repeating: "0", count: 3 - raw.count) + raw
            }
            guard let (code, wasPadded) = inseeCode(raw) else {
                diagnostics.error(at: row.location(commune), raw.isEmpty ? "code commune manquant" : "« \(raw) » n'est pas un code INSEE de commune",
                                  hint: "un code INSEE a cinq caractères, par exemple 62498 ou 2A004")
                return
            }
            if wasPadded {
                padded.count += 1
                if padded.first == nil { padded.first = row.location(commune) }
            }
            var parts: [Int] = []
            for (name, what) in [(total, "nombre total de logements"), (social, "nombre de logements locatifs sociaux"),
                                 (ownership, "nombre de logements en accession sociale")] {
                guard let n = dwellingCount(row[name]) else {
                    diagnostics.error(at: row.location(name), "\(what) « \(row[name]) » n'est pas un nombre entier positif")
                    return
                }
                parts.append(n)
            }
            guard parts.count == 3 else { return }
            var free = parts[0] - parts[1] - parts[2]
            if free < 0 {
                notes.warning(at: row.location(total),
                              "permis dont les logements sociaux (\(parts[1]) locatifs, \(parts[2]) en accession) dépassent le total (\(parts[0]))",
                              hint: "compté tel quel pour le social, sans logement libre ; vérifiez ce permis")
                free = 0
            }
            let dwellings = parts[1] + parts[2] + free

            guard let member = tally.member(code, resolver: resolver, dwellings: dwellings, at: row.location(commune), notes: &notes) else {
                return
            }
            let dateText = row[date]
            if dateText.isEmpty {
                noDate += 1
                return
            }
            guard let year = yearOfDate(dateText) else {
                diagnostics.error(at: row.location(date), "date « \(dateText) » illisible",
                                  hint: "les dates s'écrivent 2017-03-15, 15/03/2017 ou 2017-03")
                return
            }
            guard plan.contains(year) else {
                tally.outsidePlan(dwellings: dwellings)
                return
            }
            tally.kept += 1
            for (bucket, n) in [(SitadelBucket.locatifSocial, parts[1]), (.accessionSociale, parts[2]), (.libre, free)] {
                tally.keep(member.code, year, segmentOf[bucket]!, n)
            }
        }
        let delimiter = Character(Unicode.Scalar(CSVDocument.detectDelimiter(bytes)))
        var layout: SitadelLayout?
        // Record by record: a national Sitadel file has millions of permits.
        try CSVDocument.stream(bytes: bytes, path: file, delimiter: delimiter) { record throws(BilanError) in
            guard let layout else {
                layout = try SitadelLayout(header: record, path: file, delimiter: delimiter, stage: stage)
                return
            }
            process(record, layout)
        }
        if layout == nil {
            throw BilanError(.input, at: SourceLocation(path: file, line: 1), "le fichier Sitadel est vide")
        }
        if padded.count > 0 {
            notes.warning(at: padded.first, "\(padded.count) code\(padded.count > 1 ? "s" : "") INSEE à 4 chiffres complété\(padded.count > 1 ? "s" : "") par un zéro initial")
        }
        try diagnostics.throwIfErrors()

        let names = Dictionary(project.communes.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = tally.rows(names: names, source: identifier)
        let record = SourceRecord(identifier: identifier, kind: .sitadel, file: identifier, sha256: SHA256.hex(bytes),
                                  importDate: importDate(environment: environment), stage: stage.rawValue, rowsRead: tally.read,
                                  rowsKept: tally.kept, outsideEPCI: tally.outside.rows, outsidePeriod: tally.outsidePeriod.rows)
        let (added, replaced) = try ProjectUpdate(folder: folder, loaded: loaded).commit(rows, record: record)

        let bySegment = tally.bySegment(project.segments)
        var summary = ["\(identifier) : \(French.count(tally.read, "permis lu", "permis lus")), \(French.count(tally.kept, "retenu")) (date d'\(stage.words), communes de l'EPCI, années \(plan.lowerBound)-\(plan.upperBound))."]
        summary += [ImportTally.perSegment("Logements comptés", bySegment)].compactMap { $0 } + tally.leftOut
        if cancelled.rows > 0 {
            summary.append("Permis annulés (ETAT_DAU 4) : \(tally.rows(cancelled.rows)), \(French.count(cancelled.dwellings, "logement")), \(tally.notKept(cancelled.rows)).")
        }
        if noDate > 0 { summary.append("Sans date pour ce stade : \(tally.rows(noDate)), \(tally.notKept(noDate)).") }
        if tally.unknownCodes > 0 {
            summary.append("Codes commune inconnus : \(tally.rows(tally.unknownCodes)), \(tally.notKept(tally.unknownCodes)) (voir ci-dessus).")
        }
        summary.append(ImportTally.written(loaded.productionFile, added: added, replaced: replaced, source: identifier))
        if let bilanStage = Self.stage(for: project.bilan.stage), bilanStage != stage {
            summary.append("Attention : le bilan compte le stade « \(bilanStage.rawValue) », ce fichier a été importé au stade « \(stage.rawValue) ».")
        }
        return ImportReport(source: record, added: added, replaced: replaced,
                            dwellingsBySegment: bySegment,
                            notes: notes.sorted, summary: summary)
    }
}


/// Where the columns a Sitadel import needs are, in one file's header.
struct SitadelLayout {
    let table: CSVTable
    let commune: String
    let department: String?
    let state: String?
    let date: String
    let total: String
    let social: String
    let ownership: String

    init(header record: CSVRecord, path file: String, delimiter: Character, stage: SitadelImporter.Stage) throws(BilanError) {
        let names = record.fields.map { normalisedName(trimmed($0)) }
        func column(_ aliases: [String], required: Bool) throws(BilanError) -> String? {
            if let found = aliases.map(normalisedName).first(where: names.contains) { return found }
            guard required else { return nil }
            let close = nearest(aliases[0], among: record.fields.map { trimmed($0) })
            throw BilanError(.input, at: SourceLocation(path: file, line: record.line),
                             "colonne « \(aliases[0]) » absente de l'en-tête du fichier Sitadel"
                                + (aliases.count > 1 ? " (ni \(frenchEnumeration(aliases.dropFirst().map { "« \($0) »" }, conjunction: "ni")))" : ""),
                             hint: close.isEmpty ? "ce fichier est-il bien la liste des permis créant des logements (SDES) ?"
                                                 : "colonne la plus proche dans l'en-tête : « \(close[0]) »")
        }
        commune = try column(SitadelImporter.communeColumns, required: true)!
        department = try column(SitadelImporter.departmentColumns, required: false)
        state = try column(SitadelImporter.stateColumns, required: false)
        date = try column(stage.dateColumns, required: true)!
        total = try column(SitadelImporter.totalColumns, required: true)!
        social = try column(SitadelImporter.socialRentalColumns, required: true)!
        ownership = try column(SitadelImporter.socialOwnershipColumns, required: true)!
        table = try header(record, path: file, delimiter: delimiter,
                           required: [commune, date, total, social, ownership], optional: [department, state].compactMap { $0 })
    }
}
