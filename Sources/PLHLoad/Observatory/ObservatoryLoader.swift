import Foundation
import PLHBase
import PLHModel
import PLHYAML

/// Loads an observatory folder (`observatoire.yaml` and its tables) into one project per EPCI.
///
/// Structural problems (a missing file or column, bad YAML) stop the whole load; a problem in an
/// EPCI's rows is that EPCI's alone: it is reported and the others go on.
public struct ObservatoryLoader {
    public static let fileName = "observatoire.yaml"
    public let folder: ProjectFolder
    /// Whether the production table may take the fast path (off only to compare the two paths in tests).
    public var fastPaths = true

    public init(folder: ProjectFolder) {
        self.folder = folder
    }

    /// Whether `path` is an observatory folder rather than a project or a folder of projects.
    public static func isObservatory(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent(fileName).path)
    }

    public func load(sirens: Set<String>? = nil, departments: Set<String>? = nil) throws(BilanError) -> Observatory {
        var state = LoadState(folder: folder)
        state.planFile = Self.fileName
        return try state.loadObservatory(sirens: sirens, departments: departments, fastPaths: fastPaths)
    }
}

private let observatoryKeys = ["territoire", "regroupement", "bilan", "segments", "categories", "fichiers", "constats"]

/// Rows of one EPCI gathered from the shared tables, before they become a project.
private struct EPCIRows {
    var name = ""
    var department = ""
    var communes: [Commune] = []
    /// Where each commune's row is, in the order of `communes`.
    var communeLines: [SourceLocation] = []
    var plan: Plan?
    var objectives: [Objective] = []
    var production: [ProductionRecord] = []
    var diagnostics = Diagnostics()
    var hash = Fingerprint()
}

/// What `readSideTables` reads, for the load to give to each EPCI.
struct SideTables {
    struct ObjectiveRow {
        var siren: String
        var sirenAt: SourceLocation
        var objective: (segment: String, dwellings: Double, period: ObjectivePeriod)?
        var category: String, dwellings: String, period: String
        /// The row's own diagnostics, which go to its EPCI's.
        var diagnostics: Diagnostics
    }
    var categories: [String: (category: String, label: String, location: SourceLocation)] = [:]
    var groups: [String: String] = [:]
    var plans: [CSVRow] = []
    var objectives: [ObjectiveRow] = []
    var diagnostics = Diagnostics()
    var inputFiles: Set<String> = []
}

/// A value handed from one thread to another once the first is done with it (a `Background`'s result).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension LoadState {
    mutating func loadObservatory(sirens: Set<String>?, departments: Set<String>?, fastPaths: Bool = true) throws(BilanError) -> Observatory {
        let yaml = YAMLReader(path: planPath)
        let text = try readText(planFile, at: nil)
        guard let root = try yaml.root(text),
              let top = yaml.mapping(root, "le fichier de l'observatoire", known: observatoryKeys,
                                     required: ["territoire", "bilan", "segments", "categories"], &diagnostics) else {
            try diagnostics.throwIfErrors()
            throw BilanError(.input, at: SourceLocation(path: planPath), "le fichier de l'observatoire est vide")
        }
        let territory = top["territoire"].flatMap { yaml.string($0, "territoire", &diagnostics) }
        let groupLabel = top["regroupement"].flatMap { yaml.string($0, "regroupement", &diagnostics) }
        let bilan = top["bilan"].flatMap { readBilan($0, yaml, plan: nil) }
        let segments = top["segments"].map { readSegments($0, yaml) } ?? []
        let bands = top["categories"].map { readBands($0, yaml) } ?? []
        let findingSettings = top["constats"].map { readFindingSettings($0, yaml, categories: bands.map(\.category)) } ?? FindingSettings()
        var files = ["plh": "plh.csv", "objectifs": "objectifs.csv", "production": "production.csv",
                     "categories": "categories.csv", "regroupements": "regroupements.csv"]
        if let node = top["fichiers"], let map = yaml.mapping(node, "« fichiers »", known: Array(files.keys).sorted(), &diagnostics) {
            for (key, value) in map.values { if let name = yaml.string(value, "fichiers.\(key)", &diagnostics) { files[key] = name } }
        }
        try diagnostics.throwIfErrors()
        guard let territory, let bilan else { throw BilanError(.internal, at: nil, "observatoire incomplet") }
        // The largest file, for the fast path, is read and walked on the side while the others are parsed: the walk
        // needs only the segments.
        let productionFile = files["production"]!
        let folder = self.folder
        let segmentList = segments.map(\.code)
        // Only the packed rows outlive the walk: the file's bytes are let go at its end.
        let walked = Background { [fastPaths, encoding] () -> FastProduction.Rows? in
            guard fastPaths, encoding == nil, folder.exists(productionFile), let file = folder.mapped(productionFile) else { return nil }
            return FastProduction(file: file, segments: segmentList).read()
        }

        // The four other tables do not need the territory either: they are read, and the objectives' rules applied,
        // on the side while the DGCL file is. Their diagnostics follow the territory's, as when they were read after it.
        let base = Unchecked(self)
        let tables = Background { [files, segmentList] () -> Unchecked<SideTables> in
            var s = base.value
            s.diagnostics = Diagnostics()
            s.inputFiles = []
            return Unchecked(s.readSideTables(files, segments: segmentList))
        }

        // The territory: the DGCL membership file as published, read as `init` reads it.
        // Rows are kept in an array and mutated in place (a copy out of a dictionary would copy their arrays).
        var epcis: [EPCIRows] = []
        var index: [String: Int] = [:]
        var communeEPCI: [String: Int] = [:]
        var vintage: String?
        if let bytes = inputBytes(territory) {
            // About a hundred bytes a commune in the DGCL file.
            communeEPCI.reserveCapacity(bytes.count / 90)
            let path = folder.display(territory)
            vintage = attempt { (s: inout LoadState) throws(BilanError) in
                // An EPCI's communes follow each other in the file: its place is looked up once for them all.
                var last = (siren: "", index: -1)
                return try DGCLTable.read(bytes, path: path, encoding: s.encoding, diagnostics: &s.diagnostics) { row in
                    let i: Int
                    if last.index >= 0, last.siren == row.siren { i = last.index } else if let known = index[row.siren] { i = known } else {
                        i = epcis.count
                        index[row.siren] = i
                        epcis.append(EPCIRows())
                        epcis[i].name = row.epciName
                        epcis[i].department = row.department
                    }
                    last = (row.siren, i)
                    communeEPCI[row.code] = i
                    epcis[i].communes.append(Commune(code: row.code, name: row.name, population: row.population, category: ""))
                    epcis[i].communeLines.append(row.location)
                    epcis[i].hash.add("c")
                    epcis[i].hash.add(row.code)
                    epcis[i].hash.add(row.name)
                    epcis[i].hash.add(row.population)
                }.vintage
            }
        }
        try diagnostics.throwIfErrors()
        var side = tables.take().value
        diagnostics.append(side.diagnostics)
        inputFiles.formUnion(side.inputFiles)
        let table = side.categories
        let groups = side.groups

        // Plans, objectives, production: each row goes to its EPCI.
        var planned: [String] = []
        var hasPlan = [Bool](repeating: false, count: epcis.count)
        var unknown: [String: (count: Int, first: SourceLocation)] = [:]
        for row in side.plans {
            let siren = row["siren"]
            guard let i = index[siren] else {
                unknown[files["plh"]!, default: (0, row.location("siren"))].count += 1
                continue
            }
            let first = row.year("premiere_annee", what: "première année", diagnostics: &epcis[i].diagnostics)
            let last = row.year("derniere_annee", what: "dernière année", diagnostics: &epcis[i].diagnostics)
            let annualText = row["objectif_annuel"]
            let annual = annualText.isEmpty ? nil
                : row.count("objectif_annuel", what: "objectif annuel", maximum: Limits.objective, diagnostics: &epcis[i].diagnostics)
            if let first, let last, annualText.isEmpty || annual != nil {
                epcis[i].plan = TableRules.plan(name: row["nom"], first: first, last: last, annual: annual,
                                                firstAt: row.location("premiere_annee"), lastAt: row.location("derniere_annee"),
                                                &epcis[i].diagnostics)
            }
            epcis[i].hash.add("p", row["nom"], row["premiere_annee"], row["derniere_annee"], row["objectif_annuel"])
            if !hasPlan[i] { planned.append(siren) }
            hasPlan[i] = true
        }
        for row in side.objectives {
            guard let i = index[row.siren] else {
                unknown[files["objectifs"]!, default: (0, row.sirenAt)].count += 1
                continue
            }
            epcis[i].diagnostics.append(row.diagnostics)
            guard let (segment, dwellings, period) = row.objective else { continue }
            epcis[i].objectives.append(Objective(scope: .category(row.category), segment: segment, dwellings: dwellings, period: period))
            epcis[i].hash.add("o", row.category, segment, row.dwellings, row.period)
        }
        // The clean national shape takes the fast path; anything else goes through the general reader below.
        var packed: PackedProduction?
        if let walked = walked.take(),
           let read = PackedProduction.distribute(walked, communes: communeEPCI, hasPlan: hasPlan,
                                                  plans: epcis.map { $0.plan?.years }, segmentCodes: segmentList) {
            packed = read.production
            if read.unknown > 0, let first = read.firstUnknown {
                unknown[productionFile] = (read.unknown, SourceLocation(path: folder.display(productionFile),
                                                                        line: walked.line(ofRow: first), column: 1))
            }
            inputFiles.insert(productionFile)
        }
        if packed == nil {
            // A million rows: columns by position, communes by a numeric key, then the rules every production table follows.
            var positions: ProductionColumns?
            let communeByKey = CommuneKey.epciTable(communeEPCI)
            var padded = PaddedCodes()
            _ = stream(productionFile, required: ProductionColumns.required, optional: ["commune"]) { row, state in
                guard let p = positions ?? ProductionColumns(row.columns) else { return }
                positions = p
                let raw = row.text(at: p.code)
                // A code that is none is a commune outside the territory, like an unknown one: the EPCIs go on.
                var code = raw
                if CommuneKey.of(raw) == nil, let (read, wasPadded) = CommuneCode.read(raw) {
                    code = read
                    if wasPadded { padded.note(raw, at: row.location(at: p.code)) }
                }
                let known = CommuneKey.of(code).map { Int(communeByKey[$0]) } ?? communeEPCI[code]
                guard let i = known, i >= 0 else {
                    unknown[productionFile, default: (0, row.location(at: p.code))].count += 1
                    return
                }
                guard hasPlan[i] else { return }
                if let (year, segment, dwellings) = TableRules.production(row, p, segments: segmentList, plan: epcis[i].plan?.years,
                                                                          declaredIn: state.planFile, &epcis[i].diagnostics) {
                    epcis[i].production.append(ProductionRecord(commune: code, year: year, segment: segment, dwellings: dwellings))
                }
            }
            padded.report(into: &diagnostics)
        }
        try diagnostics.throwIfErrors()

        var warnings = diagnostics.warnings
        for (file, problem) in unknown.sorted(by: { $0.key < $1.key }) {
            let s = problem.count > 1 ? "s" : ""
            let what = file == files["production"] ? "commune absente" : "SIREN absent"
            warnings.append(Diagnostic(.warning, at: problem.first,
                                       "\(problem.count) ligne\(s) de \(file) ignorée\(s) : \(what) du fichier du territoire (\(territory))",
                                       hint: "vérifiez le code ; une commune fusionnée garde parfois son ancien code dans les exports"))
        }

        let settingsKey = [bilan.kind.rawValue, bilan.date.iso8601, bilan.countedYears.map(String.init).joined(separator: ","),
                           bilan.stage.rawValue] + segments.map { "\($0.code)=\($0.label)" } + bands.map { "\($0.category.code)=\($0.category.label)>\($0.minimum)" }
        // Which EPCIs have narratives: one look at recits/, not two file checks per EPCI.
        let narrativeFolders = Set((try? FileManager.default.contentsOfDirectory(
            atPath: (try? folder.resolve("recits", referencedAt: nil))?.path ?? "")) ?? [])
        // Each EPCI's production rows, fingerprinted in parallel: a million of them, alike whichever path read them.
        let productionFingerprints: [String]
        if let packed {
            productionFingerprints = parallelMap(epcis.count) { PackedRow.fingerprint(packed.rows(of: $0)) }
        } else {
            let productions = epcis.map(\.production)
            productionFingerprints = parallelMap(productions.count) { PackedRow.fingerprint(productions[$0], segments: segmentList) }
        }
        // Each EPCI becomes its project on its own: in parallel, in the order of plh.csv; those the filters leave
        // out are dropped.
        let state = Unchecked(self), gathered = Unchecked(epcis)
        let settings = settingsKey.joined(separator: "|")
        let entries = parallelMap(planned.count) { [planned, index, vintage, narrativeFolders, bilan, segments, bands, table, findingSettings, groups, packed] k -> Observatory.Entry? in
            let siren = planned[k], i = index[siren]!
            var rows = gathered.value[i]
            let departmentsOfCommunes = Array(Set(rows.communes.map { CommuneCode.department(of: $0.code) })).sorted()
            if let sirens, !sirens.contains(siren) { return nil }
            if let departments, !departments.contains(rows.department) && departments.isDisjoint(with: departmentsOfCommunes) { return nil }
            let project = state.value.makeProject(&rows, siren: siren, vintage: vintage, narrativeFolders: narrativeFolders, bilan: bilan,
                                                  segments: segments, bands: bands, table: table,
                                                  findingSettings: findingSettings)
            var hash = rows.hash
            hash.add("r")
            hash.add(productionFingerprints[i])
            hash.add("s", settings)
            for commune in (try? project.get())?.communes ?? [] {
                hash.add("k")
                hash.add(commune.code)
                hash.add(commune.category)
            }
            return Observatory.Entry(siren: siren, name: rows.name, department: rows.department,
                                     departments: departmentsOfCommunes, group: groups[siren],
                                     projectWithoutProduction: project, packed: packed.map { ($0, i) },
                                     fingerprint: hash.hex, warnings: rows.diagnostics.warnings)
        }.compactMap { $0 }
        // What only the load needed (the communes' rows, the side tables) is freed on the side.
        dropOnTheSide((take(&epcis, leaving: []), take(&communeEPCI, leaving: [:]), take(&index, leaving: [:]),
                       take(&side, leaving: SideTables())))
        return Observatory(entries: entries, groupLabel: groupLabel, warnings: warnings, inputFiles: inputFiles.sorted())
    }

    /// The observatory's tables other than the territory and the production, read as they are: the typology, the
    /// groups, the plans' rows, and the objectives with their rules applied (each row's diagnostics kept with it, for
    /// its EPCI).
    mutating func readSideTables(_ files: [String: String], segments: [String]) -> SideTables {
        var side = SideTables()
        if folder.exists(files["categories"]!), let (_, rows) = csv(files["categories"]!, required: ["code_insee", "categorie"], optional: ["libelle"]) {
            for row in rows { side.categories[row["code_insee"]] = (row["categorie"], row["libelle"].isEmpty ? row["categorie"] : row["libelle"], row.location("code_insee")) }
        }
        if folder.exists(files["regroupements"]!), let (_, rows) = csv(files["regroupements"]!, required: ["siren", "regroupement"]) {
            for row in rows { side.groups[row["siren"]] = row["regroupement"] }
        }
        if let (_, rows) = csv(files["plh"]!, required: ["siren", "nom", "premiere_annee", "derniere_annee"], optional: ["objectif_annuel"]) {
            side.plans = rows
        }
        if let (_, rows) = csv(files["objectifs"]!, required: ["siren", "categorie", "segment", "logements", "periode"]) {
            side.objectives.reserveCapacity(rows.count)
            for row in rows {
                var rowDiagnostics = Diagnostics()
                let objective = TableRules.objective(row, segments: segments, declaredIn: planFile, &rowDiagnostics)
                side.objectives.append(SideTables.ObjectiveRow(
                    siren: row["siren"], sirenAt: row.location("siren"), objective: objective, category: row["categorie"],
                    dwellings: row["logements"], period: row["periode"], diagnostics: rowDiagnostics))
            }
        }
        side.diagnostics = diagnostics
        side.inputFiles = inputFiles
        return side
    }

    /// The project of one EPCI, or its errors.
    private func makeProject(_ rows: inout EPCIRows, siren: String, vintage: String?, narrativeFolders: Set<String>, bilan: Bilan,
                             segments: [Segment], bands: [PopulationBand],
                             table: [String: (category: String, label: String, location: SourceLocation)],
                             findingSettings: FindingSettings) -> Result<Project, BilanError> {
        guard let plan = rows.plan else { return .failure(BilanError(.input, rows.diagnostics.all)) }
        var categories: [Category] = []
        var communes = rows.communes
        let tabled = communes.filter { table[$0.code] != nil }
        if !tabled.isEmpty {
            for i in communes.indices {
                guard let entry = table[communes[i].code] else {
                    rows.diagnostics.error(at: rows.communeLines[i],
                                           "la commune \(communes[i].code) (\(communes[i].name)) n'est dans aucune catégorie de la table",
                                           hint: "la table des catégories couvre d'autres communes de cet EPCI : ajoutez-la")
                    continue
                }
                communes[i].category = entry.category
                if !categories.contains(where: { $0.code == entry.category }) {
                    categories.append(Category(code: entry.category, label: entry.label))
                }
            }
        } else {
            for i in communes.indices {
                let band = bands.first { communes[i].population >= $0.minimum } ?? bands.last!
                communes[i].category = band.category.code
            }
            categories = bands.map(\.category).filter { c in communes.contains { $0.category == c.code } }
        }
        let categoryCodes = Set(categories.map(\.code))
        for objective in rows.objectives {
            if case .category(let code) = objective.scope, !categoryCodes.contains(code) {
                rows.diagnostics.error(at: nil, "objectif pour la catégorie « \(code) », absente de cet EPCI (catégories : \(categories.map(\.code).joined(separator: ", ")))")
            }
        }
        if !bilan.countedYears.allSatisfy(plan.years.contains) {
            rows.diagnostics.error(at: nil, "les années comptées (\(bilan.countedYears.first!)-\(bilan.countedYears.last!)) sortent de la période du PLH (\(plan.years.lowerBound)-\(plan.years.upperBound))")
        }
        if rows.diagnostics.hasErrors {
            var error = BilanError(.input, rows.diagnostics.sorted.filter { $0.severity == .error })
            error.hiddenErrors = rows.diagnostics.droppedErrors
            return .failure(error)
        }
        var orientation = Orientation(title: "Produire les logements prévus par le PLH", hasProductionBilan: true)
        // Optional narratives of the EPCI: recits/<siren>/bilan-global.md and perspectives.md.
        for (file, slot) in [("bilan-global.md", 0), ("perspectives.md", 1)] where narrativeFolders.contains(siren) {
            let path = "recits/\(siren)/\(file)"
            guard folder.exists(path) else { continue }
            do {
                let text = try folder.readText(path, referencedAt: nil)
                rows.hash.add("n", path, text)
                let narrative = Narrative(path: path, displayPath: folder.display(path), markdown: text)
                if slot == 0 { orientation.globalNarrative = narrative } else { orientation.perspectives = narrative }
            } catch {
                return .failure(error)
            }
        }
        return .success(Project(epci: EPCI(name: rows.name, siren: siren), plan: plan, bilan: bilan,
                                populationVintage: vintage, categories: categories, communes: communes, segments: segments,
                                objectives: rows.objectives, production: rows.production, orientations: [orientation],
                                findingSettings: findingSettings))
    }

    /// `categories:` with `regle: population` and its bands, from the largest minimum down.
    mutating func readBands(_ node: Node, _ yaml: YAMLReader) -> [PopulationBand] {
        guard let map = yaml.mapping(node, "« categories »", known: ["regle", "tranches"], required: ["regle", "tranches"], &diagnostics),
              let rule = map["regle"].flatMap({ yaml.string($0, "categories.regle", &diagnostics) }) else { return [] }
        guard normalisedName(rule) == "population" else {
            diagnostics.error(at: map["regle"].map(yaml.location), "règle de catégorie « \(rule) » inconnue", hint: "la règle disponible est : population")
            return []
        }
        var bands: [PopulationBand] = []
        for item in map["tranches"].map({ yaml.sequence($0, "categories.tranches", &diagnostics) }) ?? [] {
            guard let band = yaml.mapping(item, "une tranche", known: ["code", "libelle", "population_min"],
                                          required: ["code", "libelle", "population_min"], &diagnostics),
                  let code = band["code"].flatMap({ yaml.string($0, "tranches.code", &diagnostics) }),
                  let label = band["libelle"].flatMap({ yaml.string($0, "tranches.libelle", &diagnostics) }),
                  let minimum = band["population_min"].flatMap({ yaml.int($0, "tranches.population_min", maximum: Limits.population, &diagnostics) }) else { continue }
            bands.append(PopulationBand(category: Category(code: code, label: label), minimum: minimum))
        }
        bands.sort { $0.minimum > $1.minimum }
        if bands.isEmpty || bands.last!.minimum != 0 {
            diagnostics.error(at: map["tranches"].map(yaml.location), "les tranches de population doivent couvrir toutes les communes",
                              hint: "la dernière tranche doit avoir population_min: 0")
        }
        return bands
    }
}

/// A commune code as a small number, for tables indexed by commune: `62498` → 62498, `2A004` → 200004,
/// `2B033` → 201033, `97101` → 97101. Nil for anything else (then a dictionary is used).
enum CommuneKey {
    static let limit = 202_000

    static func of(_ code: String) -> Int? {
        var bytes = code.utf8.makeIterator()
        guard code.utf8.count == 5, let b0 = bytes.next(), let b1 = bytes.next() else { return nil }
        var value: Int
        switch (b0, b1) {
        case (0x32, 0x41): value = 200   // 2A
        case (0x32, 0x42): value = 201   // 2B
        case (0x30...0x39, 0x30...0x39): value = Int(b0 - 0x30) * 10 + Int(b1 - 0x30)
        default: return nil
        }
        for _ in 0..<3 {
            guard let b = bytes.next(), b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value < limit ? value : nil
    }

    /// Each commune's EPCI by key (-1 for none): what both production readers look a row's commune up in.
    static func epciTable(_ communes: [String: Int]) -> [Int32] {
        var table = [Int32](repeating: -1, count: limit)
        for (code, epci) in communes {
            if let key = of(code) { table[key] = Int32(epci) }
        }
        return table
    }
}
