import Foundation
import PLHBase
import PLHModel
import PLHYAML

/// A project as loaded: the model, the warnings, and the input files it was made from.
public struct LoadedProject: Sendable {
    public var project: Project
    public var warnings: [Diagnostic]
    /// Every file read, relative to the project folder, sorted: what a submission must carry to regenerate the bilan.
    public var inputFiles: [String]
    /// The production file, relative to the project folder (`fichiers.production`): where imports write.
    public var productionFile = "production.csv"
    /// The communes file, relative to the project folder (`fichiers.communes`).
    public var communesFile = "communes.csv"
    /// The objectives file, relative to the project folder (`fichiers.objectifs`).
    public var objectivesFile = "objectifs.csv"
    /// The record of imported files, relative to the project folder (`fichiers.sources`).
    public var sourcesFile = "sources.csv"
    /// The encoding `fichiers.encodage` declares for the data files, nil when it is detected.
    public var encoding: TextEncoding?
}

/// Loads a project folder (`plh.yaml`, CSV data, Markdown narratives) into a validated `Project`.
///
/// Every problem found is reported, with its file, line and column, before giving up.
public struct ProjectLoader {
    /// The plan file every project folder has.
    public static let planFileName = "plh.yaml"

    public let folder: ProjectFolder

    public init(folder: ProjectFolder) {
        self.folder = folder
    }

    public func load() throws(BilanError) -> LoadedProject {
        var state = LoadState(folder: folder)
        try state.run()
        return LoadedProject(project: state.project!, warnings: state.diagnostics.warnings,
                             inputFiles: state.inputFiles.sorted(), productionFile: state.fileNames.production,
                             communesFile: state.fileNames.communes, objectivesFile: state.fileNames.objectives,
                             sourcesFile: state.fileNames.sources, encoding: state.encoding)
    }
}

private let rootKeys = ["epci", "plh", "bilan", "jalons", "categories", "segments", "fichiers", "orientations", "options",
                        "constats", "couleurs"]

/// The mutable work of one load.
struct LoadState {
    let folder: ProjectFolder
    var diagnostics = Diagnostics()
    var inputFiles: Set<String> = []
    var project: Project?
    /// Declared text encoding of the data files and narratives, nil to detect it.
    var encoding: TextEncoding?
    /// Four-digit commune codes completed with a zero, per file.
    var paddedCodes = PaddedCodes()
    /// Codes written in the communes file, valid or not, so that a faulty commune line is reported once,
    /// not again at every line of data that names the commune. Nil when the file could not be read at all.
    var listedCodes: Set<String>? = nil
    /// Where each commune is declared, for warnings about it.
    var communeLines: [String: SourceLocation] = [:]
    /// The data files' names, as `fichiers:` gives them.
    var fileNames = FileNames()
    /// How much a workbook may inflate to.
    var spreadsheetLimits = SpreadsheetLimits()
    /// For each segment, the kinds of imported source whose rows feed it, with the first such row.
    var sourceKindsBySegment: [String: [SourceKind: SourceLocation]] = [:]

    init(folder: ProjectFolder) { self.folder = folder }

    /// The YAML file that describes the folder: plh.yaml, or observatoire.yaml for an observatory.
    var planFile = ProjectLoader.planFileName
    var planPath: String { folder.display(planFile) }

    mutating func run() throws(BilanError) {
        let yaml = YAMLReader(path: planPath)
        let text = try readText(ProjectLoader.planFileName, at: nil)
        guard let root = try yaml.root(text) else {
            throw BilanError(.input, at: SourceLocation(path: planPath), "le fichier du projet est vide",
                             hint: "voir l'exemple examples/call-2014-2020/plh.yaml")
        }
        guard let top = yaml.mapping(root, "le fichier du projet", known: rootKeys,
                                     required: ["epci", "plh", "bilan", "categories", "segments"], &diagnostics) else {
            try diagnostics.throwIfErrors()
            return
        }

        let epci = top["epci"].flatMap { readEPCI($0, yaml) }
        let vintage = epci?.1
        let plan = top["plh"].flatMap { readPlan($0, yaml) }
        let milestones = top["jalons"].map { readMilestones($0, yaml) } ?? []
        let categories = top["categories"].map { readCategories($0, yaml) } ?? []
        let segments = top["segments"].map { readSegments($0, yaml) } ?? []
        let bilan = top["bilan"].flatMap { readBilan($0, yaml, plan: plan) }
        let files = top["fichiers"].map { readFileNames($0, yaml) } ?? FileNames()
        fileNames = files
        let allowsRawHTML = top["options"].map { readOptions($0, yaml) } ?? false
        let findingSettings = top["constats"].map { readFindingSettings($0, yaml, categories: categories) } ?? FindingSettings()
        let orientations = top["orientations"].map { readOrientations($0, yaml, categories: categories) } ?? []
        let colours = top["couleurs"].flatMap { readColours($0, yaml) } ?? .neutral

        let communes = readCommunes(files.communes, categories: categories)
        let objectives = readObjectives(files.objectives, categories: categories, communes: communes, segments: segments)
        // sources.csv is optional; a file named by fichiers.sources must exist.
        let sources = folder.exists(files.sources) || files.sources != FileNames().sources ? readSources(files.sources) : []
        let production = readProduction(files.production, communes: communes, segments: segments, plan: plan, sources: sources)
        paddedCodes.report(into: &diagnostics)
        if let plan, let bilan, !diagnostics.hasErrors {
            warnAboutFigures(plan: plan, bilan: bilan, communes: communes, objectives: objectives,
                             production: production, declaredAt: top["plh"]?.mapping?["objectif_annuel"].map(yaml.location))
            warnAboutSources(sources, bilan: bilan, segments: segments, stageAt: top["bilan"]?.mapping?["stade"].map(yaml.location))
        }

        try diagnostics.throwIfErrors()
        guard let epci = epci?.0, let plan, let bilan else {
            throw BilanError(.internal, at: SourceLocation(path: planPath), "projet incomplet sans erreur signalée")
        }
        project = Project(epci: epci, plan: plan, bilan: bilan, milestones: milestones, populationVintage: vintage,
                          categories: categories, communes: communes, segments: segments, objectives: objectives,
                          production: production, orientations: orientations, allowsRawHTML: allowsRawHTML,
                          findingSettings: findingSettings, sources: sources, colours: colours)
    }

    /// What is possible but suspicious: a commune with no production counted, objectives that do not
    /// add up to the total the plan announces.
    mutating func warnAboutFigures(plan: Plan, bilan: Bilan, communes: [Commune], objectives: [Objective],
                                   production: [ProductionRecord], declaredAt: SourceLocation?) {
        let counted = Set(bilan.countedYears)
        let producing = Set(production.filter { counted.contains($0.year) && $0.dwellings > 0 }.map(\.commune))
        let years = Self.yearsPhrase(bilan.countedYears)
        let idle = communes.filter { !producing.contains($0.code) }
        if producing.isEmpty && communes.count > 1 {
            // One warning for an empty production (a project just made by init), not one per commune.
            diagnostics.warning(at: SourceLocation(path: folder.display(fileNames.production)),
                                "aucune production comptée \(years), dans aucune commune",
                                hint: "importez les permis (plh-bilan import sitadel) ou remplissez le fichier de production")
        } else if idle.count == 1 {
            diagnostics.warning(at: communeLines[idle[0].code],
                                "aucune production comptée \(years) pour \(idle[0].name) (\(idle[0].code))",
                                hint: "vérifiez le fichier de production ; sans logement produit, laissez tel quel")
        } else if idle.count > 1 {
            // A rural EPCI may have dozens of such communes: one warning lists them.
            let names = idle.map { "\($0.name) (\($0.code))" }
            diagnostics.warning(at: communeLines[idle[0].code],
                                "aucune production comptée \(years) pour \(French.integer(idle.count)) communes : \(frenchEnumeration(names))",
                                hint: "vérifiez le fichier de production ; sans logement produit, laissez tel quel")
        }
        if let declared = plan.declaredAnnualObjective, !objectives.isEmpty {
            let annual = objectives.reduce(0.0) { $0 + $1.overPlan(duration: plan.duration) } / Double(plan.duration)
            if abs(annual - Double(declared)) > 0.5 {
                diagnostics.warning(at: declaredAt,
                                    "les objectifs de \(fileNames.objectives) totalisent \(French.number(annual)) logements par an, et non \(French.integer(declared)) comme annoncé",
                                    hint: "corrigez \(fileNames.objectives) ou plh.objectif_annuel")
            }
        }
    }

    /// « en 2016 », « de 2015 à 2017 », « en 2015 et 2017 » (years that do not follow each other).
    static func yearsPhrase(_ years: [Int]) -> String {
        guard let first = years.first, let last = years.last else { return "" }
        if years.count == 1 { return "en \(first)" }
        if last - first + 1 == years.count { return "de \(first) à \(last)" }
        return "en " + frenchEnumeration(years.map(String.init))
    }

    /// `constats:` thresholds in percent (or points), rules to switch off, texts to replace.
    mutating func readFindingSettings(_ node: Node, _ yaml: YAMLReader, categories: [Category]) -> FindingSettings {
        var settings = FindingSettings()
        guard let map = yaml.mapping(node, "« constats »", known: ["en_bonne_voie", "exces", "ecart_relatif", "ecart_minimum",
                                                                    "ecart_representation", "disparite", "nombre",
                                                                    "desactiver", "textes"], &diagnostics) else { return settings }
        func percent(_ key: String) -> Double? {
            guard let node = map[key], let text = yaml.string(node, "constats.\(key)", &diagnostics) else { return nil }
            let cleaned = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: ".")
            guard let value = Double(trimmed(cleaned)), value >= 0, value <= 1000 else {
                diagnostics.error(at: yaml.location(node), "constats.\(key) : « \(text) » n'est pas un pourcentage",
                                  hint: "écrivez un nombre, par exemple 90 pour 90 %")
                return nil
            }
            return value / 100
        }
        /// A whole number from `minimum` up to 100 000.
        func whole(_ key: String, minimum: Int, hint: String) -> Int? {
            guard let node = map[key], let text = yaml.string(node, "constats.\(key)", &diagnostics) else { return nil }
            guard let value = Int(trimmed(text)), value >= minimum, value <= 100_000 else {
                diagnostics.error(at: yaml.location(node), "constats.\(key) : « \(text) » n'est pas un nombre entier d'au moins \(minimum)",
                                  hint: hint)
                return nil
            }
            return value
        }
        if let v = percent("en_bonne_voie") { settings.onTrackThreshold = v }
        if let v = percent("exces") { settings.excessThreshold = v }
        if let v = percent("ecart_relatif") { settings.representationGap = v }
        if let v = whole("ecart_minimum", minimum: 0, hint: "un nombre de logements, par exemple 10") { settings.representationMinimum = Double(v) }
        if let node = map["ecart_representation"] {
            // Points of gap until December 2026: a relative gap and a floor in dwellings judge small segments fairly.
            diagnostics.warning(at: yaml.location(node), "constats.ecart_representation n'est plus utilisé : l'écart est désormais relatif",
                                hint: "remplacez-le par ecart_relatif (en % de la part prévue, 25 par défaut) et ecart_minimum (en logements, 10 par défaut)")
        }
        if let v = percent("disparite") { settings.disparityGap = v }
        if let v = whole("nombre", minimum: 1, hint: "le nombre de constats par catégorie, par exemple 5") { settings.maximum = v }
        let rules = FindingRule.allCases.map(\.rawValue)
        if let node = map["desactiver"] {
            let items = node.scalar != nil ? [node] : yaml.sequence(node, "constats.desactiver", &diagnostics)
            for item in items {
                guard let name = yaml.string(item, "constats.desactiver", &diagnostics) else { continue }
                if let rule = FindingRule(rawValue: normalisedName(name)) {
                    settings.disabled.insert(rule)
                } else {
                    diagnostics.error(at: yaml.location(item), "règle de constat « \(name) » inconnue",
                                      hint: suggestion(for: name, among: rules) ?? "règles : \(rules.joined(separator: ", "))")
                }
            }
        }
        if let node = map["textes"] {
            guard let mapping = node.mapping else {
                diagnostics.error(at: yaml.location(node), "constats.textes : une liste « identifiant: texte » est attendue")
                return settings
            }
            let units = ["EPCI"] + categories.map(\.code)
            for (keyNode, value) in mapping {
                let id = keyNode.scalar?.string ?? ""
                let parts = id.split(separator: "/").map(String.init)
                if parts.count < 2 || FindingRule(rawValue: parts[0]) == nil || !units.contains(parts[1]) {
                    diagnostics.error(at: yaml.location(keyNode), "identifiant de constat « \(id) » invalide",
                                      hint: "la forme est règle/unité[/segment], par exemple avancement/EPCI ; plh-bilan constats DOSSIER les liste")
                    continue
                }
                if let text = yaml.string(value, "constats.textes.\(id)", &diagnostics) { settings.texts[id] = text }
            }
        }
        return settings
    }

    mutating func readOptions(_ node: Node, _ yaml: YAMLReader) -> Bool {
        guard let map = yaml.mapping(node, "« options »", known: ["html_brut"], &diagnostics) else { return false }
        return map["html_brut"].flatMap { yaml.bool($0, "options.html_brut", &diagnostics) } ?? false
    }

    /// `couleurs: { principale: "#rrggbb", claire: "#rrggbb" }`: the EPCI's colours, readable on white and together.
    mutating func readColours(_ node: Node, _ yaml: YAMLReader) -> Colours? {
        guard let map = yaml.mapping(node, "« couleurs »", known: ["principale", "claire"], required: ["principale"], &diagnostics) else {
            return nil
        }
        func colour(_ key: String) -> (Colours.RGB, SourceLocation)? {
            guard let node = map[key], let text = yaml.string(node, "couleurs.\(key)", &diagnostics) else { return nil }
            guard let rgb = Colours.RGB(hex: text.trimmingCharacters(in: .whitespaces)) else {
                diagnostics.error(at: yaml.location(node), "couleurs.\(key) : « \(text) » n'est pas une couleur",
                                  hint: "écrivez-la en hexadécimal, entre guillemets : \"#1f5c99\"")
                return nil
            }
            return (rgb, yaml.location(node))
        }
        let main = colour("principale"), light = colour("claire")
        guard let (mainRGB, mainAt) = main, map["claire"] == nil || light != nil else { return nil }
        let minimum = Colours.minimumContrast
        func ratio(_ value: Double) -> String { French.number(value, decimals: 1) + ":1" }
        let onWhite = mainRGB.contrast(with: .white)
        if onWhite < minimum {
            diagnostics.error(at: mainAt, "couleurs.principale : « \(mainRGB.hex) » est trop claire pour les titres et les liens sur fond blanc "
                              + "(contraste \(ratio(onWhite)) pour \(ratio(minimum)) au moins)",
                              hint: "choisissez une teinte plus foncée de la couleur de l'EPCI")
            return nil
        }
        if let (lightRGB, lightAt) = light {
            let worst = min(mainRGB.contrast(with: lightRGB), Colours.RGB.ink.contrast(with: lightRGB))
            if worst < minimum {
                diagnostics.error(at: lightAt, "couleurs.claire : « \(lightRGB.hex) » est trop foncée pour servir de fond au texte et aux liens "
                                  + "(contraste \(ratio(worst)) pour \(ratio(minimum)) au moins)",
                                  hint: "choisissez une teinte très pâle, ou retirez la clé : une teinte pâle de la couleur principale est prise")
                return nil
            }
        }
        return Colours(main: mainRGB, light: light?.0)
    }

    // MARK: Files

    mutating func readText(_ relative: String, at location: SourceLocation?) throws(BilanError) -> String {
        let text = try folder.readText(relative, referencedAt: location, encoding: encoding)
        inputFiles.insert(relative)
        return text
    }

    /// Reads a file, turning a failure into a diagnostic.
    mutating func attempt<T>(_ body: (inout LoadState) throws(BilanError) -> T) -> T? {
        do {
            return try body(&self)
        } catch {
            diagnostics.append(error)
            return nil
        }
    }

    /// The bytes of an input file named by the plan file, recorded as an input; a failure becomes a diagnostic.
    mutating func inputBytes(_ relative: String) -> [UInt8]? {
        attempt { (s: inout LoadState) throws(BilanError) in
            let bytes = try s.folder.read(relative, referencedAt: SourceLocation(path: s.planPath))
            s.inputFiles.insert(relative)
            return bytes
        }
    }

    /// A table read whole: CSV, or a sheet of a workbook (`.xlsx`, `.ods`) by the file's extension; `table` is its
    /// key in `fichiers:`, which `fichiers.feuilles` uses to name the sheet.
    mutating func csv(_ relative: String, table key: String? = nil, required: [String], optional: [String] = []) -> (CSVTable, [CSVRow])? {
        if let format = SpreadsheetFormat(path: relative) {
            guard let (table, records) = sheet(relative, format: format, wanted: key.flatMap { fileNames.sheets[$0] },
                                               required: required, optional: optional) else { return nil }
            return (table, records.compactMap { table.row($0, diagnostics: &diagnostics) })
        }
        if let refused = SpreadsheetFormat.unread(relative) {
            diagnostics.error(at: SourceLocation(path: folder.display(relative)), "les classeurs \(refused) ne sont pas lus",
                              hint: "ouvrez-le dans le tableur et enregistrez-le au format .xlsx, .ods ou CSV, puis indiquez ce nom dans plh.yaml")
            return nil
        }
        guard let bytes = inputBytes(relative) else { return nil }
        let path = folder.display(relative)
        guard let document = attempt({ [encoding] _ throws(BilanError) in
            try CSVDocument(bytes: bytes, path: path, encoding: encoding)
        }) else { return nil }
        let table = CSVTable(header: document.records.first, path: path, delimiter: document.delimiter,
                             required: required, optional: optional, diagnostics: &diagnostics)
        guard required.allSatisfy(table.has) else { return nil }
        var rows: [CSVRow] = []
        for record in document.records.dropFirst() {
            if let row = table.row(record, diagnostics: &diagnostics) { rows.append(row) }
        }
        return (table, rows)
    }

    /// Reads a large CSV row by row without keeping it; false when the file or its header is unusable.
    mutating func stream(_ relative: String, required: [String], optional: [String] = [],
                         _ body: (CSVRow, inout LoadState) -> Void) -> Bool {
        if let format = SpreadsheetFormat(path: relative) {
            guard let (table, records) = sheet(relative, format: format, wanted: nil, required: required, optional: optional) else { return false }
            for record in records {
                if let row = table.row(record, diagnostics: &diagnostics) { body(row, &self) }
            }
            return true
        }
        guard let bytes = inputBytes(relative) else { return false }
        let path = folder.display(relative)
        var table: CSVTable?
        var usable = true
        var state = self
        let delimiter = Character(Unicode.Scalar(CSVDocument.detectDelimiter(bytes)))
        do {
            try CSVDocument.stream(bytes: bytes, path: path, delimiter: delimiter, encoding: encoding) { record throws(BilanError) in
                guard usable else { return }
                guard let columns = table else {
                    let header = CSVTable(header: record, path: path, delimiter: delimiter, required: required, optional: optional,
                                          diagnostics: &state.diagnostics)
                    usable = required.allSatisfy(header.has)
                    table = header
                    return
                }
                if let row = columns.row(record, diagnostics: &state.diagnostics) { body(row, &state) }
            }
        } catch {
            state.diagnostics.append(error)
            usable = false
        }
        if table == nil {
            _ = CSVTable(header: nil, path: path, delimiter: delimiter, required: required, diagnostics: &state.diagnostics)
            usable = false
        }
        self = state
        return usable
    }

    /// A table from a sheet of a workbook (`fichiers.feuilles` names it, else the first): its header, and its data
    /// records as wide as the header (a filled cell beyond it is reported, and its row left out).
    mutating func sheet(_ relative: String, format: SpreadsheetFormat, wanted: (name: String, at: SourceLocation)?,
                        required: [String], optional: [String]) -> (CSVTable, [CSVRecord])? {
        guard let bytes = inputBytes(relative) else { return nil }
        let path = folder.display(relative)
        guard let document = attempt({ [spreadsheetLimits] _ throws(BilanError) in
            try SpreadsheetDocument(bytes: bytes, path: path, format: format, sheet: wanted?.name, namedAt: wanted?.at,
                                    limits: spreadsheetLimits)
        }) else { return nil }
        guard let header = document.records.first else {
            diagnostics.error(at: SourceLocation(path: document.path), "la feuille est vide",
                              hint: "la première ligne doit nommer les colonnes : \(required.joined(separator: ", "))"
                                + (document.sheets.count > 1 ? " ; pour lire une autre feuille, nommez-la dans fichiers.feuilles" : ""))
            return nil
        }
        let table = CSVTable(header: header, path: document.path, delimiter: ";", required: required, optional: optional,
                             diagnostics: &diagnostics)
        guard required.allSatisfy(table.has) else {
            if wanted == nil && document.sheets.count > 1 {
                diagnostics.warning(at: SourceLocation(path: document.path),
                                    "le classeur a \(document.sheets.count) feuilles et seule la première est lue",
                                    hint: "pour lire une autre feuille, nommez-la dans fichiers.feuilles de plh.yaml : \(document.sheets.map { "« \($0) »" }.joined(separator: ", "))")
            }
            return nil
        }
        let width = table.columns.count
        let records = document.records.dropFirst().compactMap { document.fitted($0, width: width, diagnostics: &diagnostics) }
        return (table, records)
    }

    // MARK: plh.yaml sections

    mutating func readEPCI(_ node: Node, _ yaml: YAMLReader) -> (EPCI?, String?)? {
        guard let map = yaml.mapping(node, "« epci »", known: ["nom", "sigle", "siren", "population_millesime"],
                                     required: ["nom", "siren"], &diagnostics) else { return nil }
        let name = map["nom"].flatMap { yaml.string($0, "epci.nom", &diagnostics) }
        let short = map["sigle"].flatMap { yaml.string($0, "epci.sigle", &diagnostics) }
        let vintage = map["population_millesime"].flatMap { yaml.string($0, "epci.population_millesime", &diagnostics) }
        var siren: String?
        if let node = map["siren"], let text = yaml.string(node, "epci.siren", &diagnostics) {
            let compact = text.filter { $0 != " " }
            if compact.count == 9, compact.allSatisfy({ $0.isASCII && $0.isNumber }) {
                siren = compact
            } else {
                diagnostics.error(at: yaml.location(node), "epci.siren : « \(text) » n'est pas un SIREN (9 chiffres)",
                                  hint: "le SIREN de l'EPCI figure dans la liste DGCL des EPCI ; écrivez-le entre guillemets, par exemple \"246200364\"")
            }
        }
        guard let name, let siren else { return (nil, vintage) }
        return (EPCI(name: name, shortName: short, siren: siren), vintage)
    }

    mutating func readPlan(_ node: Node, _ yaml: YAMLReader) -> Plan? {
        guard let map = yaml.mapping(node, "« plh »", known: ["nom", "premiere_annee", "derniere_annee", "objectif_annuel"],
                                     required: ["nom", "premiere_annee", "derniere_annee"], &diagnostics) else { return nil }
        let name = map["nom"].flatMap { yaml.string($0, "plh.nom", &diagnostics) }
        let first = map["premiere_annee"].flatMap { yaml.year($0, "plh.premiere_annee", &diagnostics) }
        let last = map["derniere_annee"].flatMap { yaml.year($0, "plh.derniere_annee", &diagnostics) }
        let annual = map["objectif_annuel"].flatMap { yaml.int($0, "plh.objectif_annuel", maximum: Limits.objective, &diagnostics) }
        guard let name, let first, let last else { return nil }
        return TableRules.plan(name: name, first: first, last: last, annual: annual,
                               firstAt: map["premiere_annee"].map(yaml.location), lastAt: map["derniere_annee"].map(yaml.location),
                               nameAt: map["nom"].map(yaml.location), &diagnostics)
    }

    mutating func readBilan(_ node: Node, _ yaml: YAMLReader, plan: Plan?) -> Bilan? {
        guard let map = yaml.mapping(node, "« bilan »",
                                     known: ["type", "date", "instance", "date_instance", "annees", "stade", "avertissement", "source"],
                                     required: ["type", "date", "annees", "stade"], &diagnostics) else { return nil }
        let kind = map["type"].flatMap { node -> BilanKind? in
            guard let text = yaml.string(node, "bilan.type", &diagnostics) else { return nil }
            let kinds: [String: BilanKind] = ["annuel": .annuel, "triennal": .triennal, "mi_parcours": .triennal, "final": .final]
            if let kind = kinds[normalisedName(text)] { return kind }
            diagnostics.error(at: yaml.location(node), "bilan.type : « \(text) » inconnu",
                              hint: "écrivez annuel, triennal ou final")
            return nil
        }
        let stage = map["stade"].flatMap { node -> CountingStage? in
            guard let text = yaml.string(node, "bilan.stade", &diagnostics) else { return nil }
            if let stage = CountingStage(code: normalisedName(text)) { return stage }
            let codes = CountingStage.allCases.map(\.code)
            diagnostics.error(at: yaml.location(node), "bilan.stade : « \(text) » inconnu",
                              hint: suggestion(for: normalisedName(text), among: codes) ?? "écrivez \(frenchEnumeration(codes, conjunction: "ou"))")
            return nil
        }
        let date = map["date"].flatMap { yaml.date($0, "bilan.date", &diagnostics) }
        let instance = map["instance"].flatMap { yaml.string($0, "bilan.instance", &diagnostics) }
        let instanceDate = map["date_instance"].flatMap { yaml.date($0, "bilan.date_instance", &diagnostics) }
        let notice = map["avertissement"].flatMap { yaml.string($0, "bilan.avertissement", &diagnostics) }
        let source = map["source"].flatMap { yaml.string($0, "bilan.source", &diagnostics) }
        let years = map["annees"].map { readYears($0, yaml, plan: plan) } ?? []
        if let date, let dateNode = map["date"] {
            let later = years.filter { $0 > date.year }
            if !later.isEmpty {
                diagnostics.error(at: yaml.location(dateNode),
                                  "bilan.date : le bilan est daté du \(French.date(date)) mais compte \(frenchEnumeration(later.map(String.init))), \(later.count > 1 ? "années postérieures" : "année postérieure")",
                                  hint: "datez le bilan après la dernière année comptée, ou retirez \(later.count > 1 ? "ces années" : "cette année") de bilan.annees")
            }
        }
        guard let kind, let stage, let date, !years.isEmpty else { return nil }
        return Bilan(kind: kind, date: date, instance: instance, instanceDate: instanceDate,
                     countedYears: years, stage: stage, notice: notice, source: source)
    }

    /// `[2015, 2016, 2017]` or `2015-2017`.
    mutating func readYears(_ node: Node, _ yaml: YAMLReader, plan: Plan?) -> [Int] {
        var years: [Int] = []
        if let scalar = node.scalar, scalar.string.contains("-") {
            let bounds = scalar.string.split(separator: "-").map { Int(trimmed(String($0))) }
            // Bounds are checked as years before the range is built: « 2-2020202 » must not make two million years.
            guard bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b, a >= 1900, b <= 2200 else {
                diagnostics.error(at: yaml.location(node), "bilan.annees : « \(scalar.string) » n'est pas une période",
                                  hint: "écrivez par exemple 2015-2017 ou [2015, 2016, 2017]")
                return []
            }
            years = Array(a...b)
        } else if node.scalar != nil {
            if let year = yaml.year(node, "bilan.annees", &diagnostics) { years = [year] }
        } else {
            for item in yaml.sequence(node, "bilan.annees", &diagnostics) {
                if let year = yaml.year(item, "bilan.annees", &diagnostics) {
                    if years.contains(year) {
                        diagnostics.error(at: yaml.location(item), "bilan.annees : \(year) apparaît deux fois")
                    } else {
                        years.append(year)
                    }
                }
            }
        }
        if let plan {
            let outside = years.filter { !plan.years.contains($0) }.map(String.init)
            if !outside.isEmpty {
                diagnostics.error(at: yaml.location(node),
                                  "bilan.annees : \(frenchEnumeration(outside)) \(outside.count > 1 ? "sont" : "est") hors de la période du PLH (\(plan.years.lowerBound)-\(plan.years.upperBound))",
                                  hint: "les années comptées doivent être des années du plan")
            }
        }
        if years.isEmpty && node.sequence?.count == 0 {
            diagnostics.error(at: yaml.location(node), "bilan.annees : aucune année comptée")
        }
        return years.sorted()
    }

    mutating func readMilestones(_ node: Node, _ yaml: YAMLReader) -> [Milestone] {
        yaml.sequence(node, "« jalons »", &diagnostics).compactMap { item in
            guard let map = yaml.mapping(item, "un jalon", known: ["date", "libelle"], required: ["date", "libelle"], &diagnostics),
                  let date = map["date"].flatMap({ yaml.date($0, "jalons.date", &diagnostics) }),
                  let label = map["libelle"].flatMap({ yaml.string($0, "jalons.libelle", &diagnostics) }) else { return nil }
            return Milestone(date: date, label: label)
        }
    }

    mutating func readCategories(_ node: Node, _ yaml: YAMLReader) -> [Category] {
        var seen: Set<String> = []
        return yaml.sequence(node, "« categories »", &diagnostics).compactMap { item in
            guard let map = yaml.mapping(item, "une catégorie", known: ["code", "libelle", "description"],
                                         required: ["code", "libelle"], &diagnostics),
                  let code = map["code"].flatMap({ yaml.string($0, "categories.code", &diagnostics) }),
                  let label = map["libelle"].flatMap({ yaml.string($0, "categories.libelle", &diagnostics) }) else { return nil }
            guard seen.insert(code).inserted else {
                diagnostics.error(at: map["code"].map(yaml.location), "la catégorie « \(code) » est déclarée deux fois")
                return nil
            }
            if code == "EPCI" {
                diagnostics.error(at: map["code"].map(yaml.location), "le code « EPCI » est réservé à l'ensemble du territoire",
                                  hint: "choisissez un autre code de catégorie")
            }
            let description = map["description"].flatMap { yaml.string($0, "categories.description", &diagnostics) }
            return Category(code: code, label: label, description: description)
        }
    }

    mutating func readSegments(_ node: Node, _ yaml: YAMLReader) -> [Segment] {
        var seen: Set<String> = []
        var claimed: [SitadelBucket: String] = [:]
        return yaml.sequence(node, "« segments »", &diagnostics).compactMap { item in
            guard let map = yaml.mapping(item, "un segment", known: ["code", "libelle", "famille", "sitadel"],
                                         required: ["code", "libelle"], &diagnostics),
                  let code = map["code"].flatMap({ yaml.string($0, "segments.code", &diagnostics) }),
                  let label = map["libelle"].flatMap({ yaml.string($0, "segments.libelle", &diagnostics) }) else { return nil }
            guard seen.insert(code).inserted else {
                diagnostics.error(at: map["code"].map(yaml.location), "le segment « \(code) » est déclaré deux fois")
                return nil
            }
            if code == "ensemble" {
                diagnostics.error(at: map["code"].map(yaml.location), "le code « ensemble » est réservé au total des segments",
                                  hint: "choisissez un autre code de segment")
            }
            let family = map["famille"].flatMap { yaml.string($0, "segments.famille", &diagnostics) }
            var bucket: SitadelBucket?
            if let node = map["sitadel"], let text = yaml.string(node, "segments.sitadel", &diagnostics) {
                let buckets = SitadelBucket.allCases.map(\.rawValue)
                if let found = SitadelBucket(rawValue: normalisedName(text)) {
                    if let other = claimed[found] {
                        diagnostics.error(at: yaml.location(node), "« sitadel: \(found.rawValue) » est déjà donné au segment « \(other) »",
                                          hint: "un seul segment reçoit chaque part des permis Sitadel")
                    } else {
                        claimed[found] = code
                        bucket = found
                    }
                } else {
                    diagnostics.error(at: yaml.location(node), "segments.sitadel : « \(text) » inconnu",
                                      hint: suggestion(for: text, among: buckets) ?? "écrivez \(buckets.joined(separator: ", "))")
                }
            }
            return Segment(code: code, label: label, family: family, sitadel: bucket)
        }
    }

    struct FileNames {
        var communes = "communes.csv"
        var objectives = "objectifs.csv"
        var production = "production.csv"
        var sources = "sources.csv"
        /// The sheet to read in a workbook, by table key (`communes`, `objectifs`, `production`), with where it is named.
        var sheets: [String: (name: String, at: SourceLocation)] = [:]
    }

    mutating func readFileNames(_ node: Node, _ yaml: YAMLReader) -> FileNames {
        var names = FileNames()
        guard let map = yaml.mapping(node, "« fichiers »", known: ["communes", "objectifs", "production", "sources", "encodage", "feuilles"],
                                     &diagnostics) else { return names }
        if let node = map["encodage"], let text = yaml.string(node, "fichiers.encodage", &diagnostics) {
            switch normalisedName(text) {
            case "auto", "automatique": encoding = nil
            case "utf_8", "utf8": encoding = .utf8
            case "windows_1252", "cp1252", "latin_1", "latin1", "iso_8859_1", "ansi": encoding = .windows1252
            default:
                diagnostics.error(at: yaml.location(node), "fichiers.encodage : « \(text) » inconnu",
                                  hint: "écrivez auto, utf-8 ou windows-1252")
            }
        }
        if let v = map["communes"].flatMap({ yaml.string($0, "fichiers.communes", &diagnostics) }) { names.communes = v }
        if let v = map["objectifs"].flatMap({ yaml.string($0, "fichiers.objectifs", &diagnostics) }) { names.objectives = v }
        if let v = map["production"].flatMap({ yaml.string($0, "fichiers.production", &diagnostics) }) { names.production = v }
        if let node = map["sources"], let v = yaml.string(node, "fichiers.sources", &diagnostics) {
            if SpreadsheetFormat(path: v) != nil {
                diagnostics.error(at: yaml.location(node), "fichiers.sources : « \(v) » est un classeur, or les imports écrivent ce fichier",
                                  hint: "le registre des imports est un fichier CSV : par exemple sources.csv")
            } else {
                names.sources = v
            }
        }
        if let node = map["feuilles"],
           let sheets = yaml.mapping(node, "fichiers.feuilles", known: ["communes", "objectifs", "production"], &diagnostics) {
            let files = ["communes": names.communes, "objectifs": names.objectives, "production": names.production]
            for (key, value) in sheets.values {
                guard let sheet = yaml.string(value, "fichiers.feuilles.\(key)", &diagnostics), let file = files[key] else { continue }
                if SpreadsheetFormat(path: file) == nil {
                    diagnostics.error(at: yaml.location(value), "fichiers.feuilles.\(key) : « \(file) » n'est pas un classeur .xlsx ou .ods",
                                      hint: "une feuille ne se choisit que dans un classeur ; retirez cette ligne ou indiquez le classeur dans fichiers.\(key)")
                } else {
                    names.sheets[key] = (sheet, yaml.location(value))
                }
            }
        }
        return names
    }

    mutating func readOrientations(_ node: Node, _ yaml: YAMLReader, categories: [Category]) -> [Orientation] {
        yaml.sequence(node, "« orientations »", &diagnostics).compactMap { item in
            guard let map = yaml.mapping(item, "une orientation",
                                         known: ["titre", "bilan_production", "bilan_global", "categories", "perspectives"],
                                         required: ["titre"], &diagnostics),
                  let title = map["titre"].flatMap({ yaml.string($0, "orientations.titre", &diagnostics) }) else { return nil }
            var orientation = Orientation(title: title)
            orientation.hasProductionBilan = map["bilan_production"].flatMap { yaml.bool($0, "orientations.bilan_production", &diagnostics) } ?? false
            orientation.globalNarrative = map["bilan_global"].flatMap { narrative($0, yaml, "orientations.bilan_global") }
            orientation.perspectives = map["perspectives"].flatMap { narrative($0, yaml, "orientations.perspectives") }
            if let node = map["categories"] {
                let codes = categories.map(\.code)
                if let byCategory = yaml.mapping(node, "orientations.categories", known: codes, &diagnostics) {
                    for (code, value) in byCategory.values {
                        orientation.categoryNarratives[code] = narrative(value, yaml, "orientations.categories.\(code)")
                    }
                }
            }
            return orientation
        }
    }

    mutating func narrative(_ node: Node, _ yaml: YAMLReader, _ what: String) -> Narrative? {
        guard let path = yaml.string(node, what, &diagnostics) else { return nil }
        let location = yaml.location(node)
        return attempt { (s: inout LoadState) throws(BilanError) in
            Narrative(path: path, displayPath: s.folder.display(path), markdown: try s.readText(path, at: location))
        }
    }
}
