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
    /// Accepted names of each column, first the current one. Some vintages give the commune as `DEP` + a
    /// three-digit `COMM`; older ones call the five-character code `DEPCOM`.
    static let communeColumns = ["COMM", "DEPCOM", "COM_COD_COM", "CODE_COMMUNE", "CODGEO"]
    static let departmentColumns = ["DEP", "DEP_CODE", "DEP_COD_DEP"]
    /// The permit's state; `4` is a cancelled permit (annulé), which creates no dwelling.
    static let stateColumns = ["ETAT_DAU"]
    static let totalColumns = ["NB_LGT_TOT_CREES", "NB_LGT_TOT"]
    static let socialRentalColumns = ["NB_LGT_PRET_LOC_SOCIAL", "NB_LGT_LOC_SOC"]
    static let socialOwnershipColumns = ["NB_LGT_ACC_SOC_HORS_PTZ", "NB_LGT_ACC_SOC"]
    /// The permit's number and type, which tell the same permit in two of SDES's overlapping period files.
    static let numberColumns = ["NUM_DAU"]
    static let typeColumns = ["TYPE_DAU"]

    public let projectFolder: String
    /// The COG used to recognise old codes of merged communes.
    public var cog: URL? = nil
    /// What the host decides (the fixed date of reproducible runs); the command line builds it.
    public var settings = RunSettings()
    /// Allows a re-import to replace rows counted at another stage, or to replace rows with none (`--replace`).
    public var replace = false

    public init(projectFolder: String) {
        self.projectFolder = projectFolder
    }

    /// Reads `file`, then rewrites the project's production rows from this file and its record in `sources.csv`.
    /// Without `stage`, the bilan's own stage.
    public func run(file: String, stage: CountingStage? = nil) throws(BilanError) -> ImportReport {
        let folder = ProjectFolder(projectFolder)
        let loaded = try ProjectLoader(folder: folder).load()
        try ProductionFile.refuseSpreadsheet(loaded.productionFile, in: folder)
        let project = loaded.project
        let stages = frenchEnumeration(CountingStage.sitadel.map { "--stage \($0.code)" }, conjunction: "ou")
        if let stage, stage.sitadelDateColumns.isEmpty {
            throw BilanError(.usage, at: nil, "--stage \(stage.code) : les permis Sitadel ne datent pas les \(stage.dwellings)", hint: stages)
        }
        let stage = stage ?? project.bilan.stage
        guard !stage.sitadelDateColumns.isEmpty else {
            throw BilanError(.usage, at: nil, "le bilan compte les \(stage.dwellings) : précisez le stade des permis à importer", hint: stages)
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
        let update = ProjectUpdate(folder: folder, loaded: loaded, input: file, replacing: replace)
        let sha256 = SHA256.hex(bytes)
        try update.refuseKnownContent(sha256, identifier: identifier)
        // Permits the project's other imports counted already, by number (permis.csv).
        let ledger = try CountedPermits(folder: folder, file: CountedPermits.file(besides: loaded.sourcesFile), encoding: loaded.encoding)
        let alreadyCounted = ledger.counted(by: Set(project.sources.map(\.identifier)), excluding: identifier)
        var permits: [CountedPermits.Entry] = []
        var readHere = PermitIndex()
        var overlap: [String: (permits: Int, dwellings: Int)] = [:]
        var repeated = 0
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
            guard let (code, wasPadded) = CommuneCode.read(raw) else {
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
                    diagnostics.error(at: row.location(name), "\(what) « \(row[name]) » n'est pas un nombre entier positif d'au plus \(French.integer(Limits.dwellings))")
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
            if let numberColumn = layout.number, !row[numberColumn].isEmpty {
                let number = row[numberColumn], type = layout.type.map { row[$0].uppercased() } ?? ""
                if let earlier = alreadyCounted.source(number: number, type: type) {
                    overlap[earlier, default: (0, 0)].permits += 1
                    overlap[earlier]!.dwellings += dwellings
                    permits.append(.init(source: identifier, number: number, type: type, countedBy: earlier))
                    return
                }
                if let line = readHere.source(number: number, type: type) {
                    repeated += 1
                    notes.warning(at: row.location(numberColumn), "permis \(number) déjà lu ligne \(line) : non recompté",
                                  hint: "un permis ne doit figurer qu'une fois dans le fichier ; vérifiez ces deux lignes")
                    return
                }
                readHere.add(number: number, type: type, source: String(row.line))
                permits.append(.init(source: identifier, number: number, type: type, countedBy: ""))
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
        let record = SourceRecord(identifier: identifier, kind: .sitadel, file: identifier, sha256: sha256,
                                  importDate: importDate(settings: settings), stage: stage, rowsRead: tally.read,
                                  rowsKept: tally.kept, outsideEPCI: tally.outside.rows, outsidePeriod: tally.outsidePeriod.rows)
        let (added, replaced, orphans) = try update.commit(rows, record: record, permits: permits)

        let bySegment = tally.bySegment(project.segments)
        var summary = ["\(identifier) : \(French.count(tally.read, "permis lu", "permis lus")), \(French.count(tally.kept, "retenu")) (date d'\(stage.event), communes de l'EPCI, années \(plan.lowerBound)-\(plan.upperBound))."]
        summary += [ImportTally.perSegment("Logements comptés", bySegment)].compactMap { $0 } + tally.leftOut
        if cancelled.rows > 0 {
            summary.append("Permis annulés (ETAT_DAU 4) : \(tally.rows(cancelled.rows)), \(French.count(cancelled.dwellings, "logement")), \(tally.notKept(cancelled.rows)).")
        }
        if noDate > 0 { summary.append("Sans date pour ce stade : \(tally.rows(noDate)), \(tally.notKept(noDate)).") }
        if tally.unknownCodes > 0 {
            summary.append("Codes commune inconnus : \(tally.rows(tally.unknownCodes)), \(tally.notKept(tally.unknownCodes)) (voir ci-dessus).")
        }
        for source in project.sources.map(\.identifier) {
            guard let o = overlap[source] else { continue }
            let many = o.permits > 1 ? "s" : ""
            summary.append("\(tally.rows(o.permits)) déjà compté\(many) par « \(source) », non recompté\(many) (\(French.count(o.dwellings, "logement"))).")
        }
        if repeated > 0 {
            summary.append("Permis en double dans le fichier : \(tally.rows(repeated)), comptés une fois (voir ci-dessus).")
        }
        summary.append(ImportTally.written(loaded.productionFile, added: added, replaced: replaced, source: identifier))
        if project.bilan.stage != stage {
            summary.append("Attention : le bilan compte les \(project.bilan.stage.dwellings), mais ce fichier a été importé au stade des \(stage.dwellings) (--stage \(stage.code)).")
        }
        return ImportReport(source: record, added: added, replaced: replaced,
                            dwellingsBySegment: bySegment,
                            notes: notes.sorted + orphans, summary: summary)
    }
}


/// Where the columns a Sitadel import needs are, in one file's header.
struct SitadelLayout {
    let table: CSVTable
    let commune: String
    let department: String?
    let state: String?
    let date: String
    let number: String?
    let type: String?
    let total: String
    let social: String
    let ownership: String

    init(header record: CSVRecord, path file: String, delimiter: Character, stage: CountingStage) throws(BilanError) {
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
        date = try column(stage.sitadelDateColumns, required: true)!
        number = try column(SitadelImporter.numberColumns, required: false)
        type = number == nil ? nil : try column(SitadelImporter.typeColumns, required: false)
        total = try column(SitadelImporter.totalColumns, required: true)!
        social = try column(SitadelImporter.socialRentalColumns, required: true)!
        ownership = try column(SitadelImporter.socialOwnershipColumns, required: true)!
        table = try header(record, path: file, delimiter: delimiter,
                           required: [commune, date, total, social, ownership], optional: [department, state, number, type].compactMap { $0 })
    }
}
