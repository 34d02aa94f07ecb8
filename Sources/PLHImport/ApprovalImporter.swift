import Foundation
import PLHLoad
import PLHBase
import PLHModel

/// Imports social-housing approvals (PLAI, PLUS, PLS) through a column mapping into a project's production.
public struct ApprovalImporter {
    public let projectFolder: String
    public var cog: URL? = nil
    /// What the host decides (the fixed date of reproducible runs); the command line builds it.
    public var settings = RunSettings()
    /// Allows a re-import to replace rows with none (`--replace`).
    public var replace = false

    public init(projectFolder: String) {
        self.projectFolder = projectFolder
    }

    public func run(file: String, mapping mappingPath: String) throws(BilanError) -> ImportReport {
        let folder = ProjectFolder(projectFolder)
        let loaded = try ProjectLoader(folder: folder).load()
        try ProductionFile.refuseSpreadsheet(loaded.productionFile, in: folder)
        let project = loaded.project
        let mapping = try ApprovalMapping(path: mappingPath)
        var diagnostics = Diagnostics()
        let segments = project.segments.map(\.code)
        var segmentOf: [String: String] = [:]
        for (product, segment, location) in mapping.products {
            if !segments.contains(segment) {
                diagnostics.error(at: location, "segment « \(segment) » non déclaré dans plh.yaml",
                                  hint: suggestion(for: segment, among: segments) ?? "segments déclarés : \(segments.joined(separator: ", "))")
            }
            segmentOf[normalisedName(product)] = segment
        }
        try diagnostics.throwIfErrors()

        let bytes = try readInputFile(file)
        let identifier = URL(fileURLWithPath: file).lastPathComponent
        let update = ProjectUpdate(folder: folder, loaded: loaded, input: file, replacing: replace)
        let sha256 = SHA256.hex(bytes)
        try update.refuseKnownContent(sha256, identifier: identifier)
        let document = try CSVDocument(bytes: bytes, path: file, delimiter: mapping.delimiter, encoding: mapping.encoding)
        guard let headerRecord = document.records.first else {
            throw BilanError(.input, at: SourceLocation(path: file, line: 1), "le fichier des agréments est vide")
        }
        let headerNames = headerRecord.fields.map { trimmed($0) }
        for (key, name) in [("commune", mapping.communeColumn), ("annee", mapping.yearColumn), ("produit", mapping.productColumn),
                            ("logements", mapping.dwellingsColumn)]
        where !headerNames.map(normalisedName).contains(normalisedName(name)) {
            let close = nearest(name, among: headerNames)
            diagnostics.error(at: mapping.columnLocations[key],
                              "colonne « \(name) » absente de l'en-tête de \(file) (ligne \(headerRecord.line))",
                              hint: close.isEmpty ? "colonnes du fichier : \(headerNames.joined(separator: ", "))" : "vouliez-vous dire \(frenchList(close)) ?")
        }
        try diagnostics.throwIfErrors()
        let (commune, yearColumn, product, dwellingsColumn) = (normalisedName(mapping.communeColumn), normalisedName(mapping.yearColumn),
                                                               normalisedName(mapping.productColumn), normalisedName(mapping.dwellingsColumn))
        let table = try header(headerRecord, path: file, delimiter: document.delimiter,
                               required: Array(Set([commune, yearColumn, product, dwellingsColumn])))

        let resolver = try CommuneResolver(communes: project.communes, cog: cog)
        let plan = project.plan.years
        var notes = Diagnostics()
        var tally = ImportTally(unit: ("ligne", "lignes", true))
        var untracked: [String: (rows: Int, dwellings: Int, first: SourceLocation)] = [:]
        for record in document.records.dropFirst() {
            guard let row = table.row(record, diagnostics: &diagnostics) else { continue }
            tally.read += 1
            guard let (code, _) = CommuneCode.read(row[commune]) else {
                diagnostics.error(at: row.location(commune), row[commune].isEmpty ? "code commune manquant" : "« \(row[commune]) » n'est pas un code INSEE de commune",
                                  hint: "la colonne « \(mapping.communeColumn) » doit donner le code INSEE (62498, 2A004)")
                continue
            }
            guard let n = dwellingCount(row[dwellingsColumn]) else {
                diagnostics.error(at: row.location(dwellingsColumn), "nombre de logements « \(row[dwellingsColumn]) » n'est pas un nombre entier positif")
                continue
            }
            guard let year = mapping.year(row[yearColumn]) else {
                diagnostics.error(at: row.location(yearColumn), "« \(row[yearColumn]) » n'est pas \(mapping.dateFormat.map { "une date au format \($0)" } ?? "une année")",
                                  hint: mapping.dateFormat == nil ? "si la colonne donne une date, indiquez son format avec la clé « date » du fichier de correspondance" : nil)
                continue
            }
            guard let member = tally.member(code, resolver: resolver, dwellings: n, at: row.location(commune), notes: &notes) else {
                continue
            }
            guard let segment = segmentOf[normalisedName(row[product])] else {
                let name = row[product]
                untracked[name, default: (0, 0, row.location(product))].rows += 1
                untracked[name]!.dwellings += n
                continue
            }
            guard plan.contains(year) else {
                tally.outsidePlan(dwellings: n)
                continue
            }
            tally.kept += 1
            tally.keep(member.code, year, segment, n)
        }
        for (name, u) in untracked.sorted(by: { $0.key < $1.key }) {
            notes.warning(at: u.first, "produit « \(name) » absent du fichier de correspondance : \(French.count(u.rows, "ligne")), \(French.count(u.dwellings, "logement")) non retenus",
                          hint: "ajoutez-le sous « produits » dans \(mappingPath) s'il doit être compté")
        }
        try diagnostics.throwIfErrors()

        let names = Dictionary(project.communes.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = tally.rows(names: names, source: identifier)
        let record = SourceRecord(identifier: identifier, kind: .agrements, file: identifier, sha256: sha256,
                                  importDate: importDate(settings: settings), stage: .agrees, rowsRead: tally.read,
                                  rowsKept: tally.kept, outsideEPCI: tally.outside.rows, outsidePeriod: tally.outsidePeriod.rows)
        let (added, replaced, orphans) = try update.commit(rows, record: record)
        let bySegment = tally.bySegment(project.segments)
        var summary = ["\(identifier) : \(French.count(tally.read, "ligne lue", "lignes lues")), \(French.count(tally.kept, "retenue"))."]
        summary += [ImportTally.perSegment(French.capitalised(CountingStage.agrees.dwellings), bySegment)].compactMap { $0 } + tally.leftOut
        summary.append(ImportTally.written(loaded.productionFile, added: added, replaced: replaced, source: identifier))
        return ImportReport(source: record, added: added, replaced: replaced,
                            dwellingsBySegment: bySegment,
                            notes: notes.sorted + orphans, summary: summary)
    }
}
