import PLHBase
import PLHModel

/// A project's three tables: communes, objectives and production, read with `TableRules`.
extension LoadState {
    mutating func readCommunes(_ file: String, categories: [Category]) -> [Commune] {
        guard let (_, rows) = csv(file, table: "communes", required: ["code_insee", "commune", "population", "categorie"]) else { return [] }
        listedCodes = Set(rows.map { row in CommuneCode.read(row["code_insee"])?.code ?? row["code_insee"].uppercased() })
        let categoryCodes = categories.map(\.code)
        var communes: [Commune] = []
        var firstLine: [String: (Int, String)] = [:]
        for row in rows {
            guard let code = TableRules.communeCode(row["code_insee"], at: row.location("code_insee"), padded: &paddedCodes,
                                                    &diagnostics) else { continue }
            let name = row["commune"]
            if name.isEmpty { diagnostics.error(at: row.location("commune"), "nom de commune manquant pour \(code)") }
            let population = row.count("population", what: "population", maximum: Limits.population, diagnostics: &diagnostics)
            let category = row["categorie"]
            if category.isEmpty {
                diagnostics.error(at: row.location("categorie"), "la commune \(code) (\(name)) n'est dans aucune catégorie",
                                  hint: "indiquez le code de sa catégorie : \(categoryCodes.joined(separator: ", "))")
                continue
            }
            if !categoryCodes.contains(category) {
                diagnostics.error(at: row.location("categorie"), "catégorie « \(category) » non déclarée dans plh.yaml",
                                  hint: suggestion(for: category, among: categoryCodes) ?? "catégories déclarées : \(categoryCodes.joined(separator: ", "))")
                continue
            }
            if let (line, first) = firstLine[code] {
                if first != category {
                    diagnostics.error(at: row.location("categorie"),
                                      "la commune \(code) est dans deux catégories : « \(first) » (ligne \(line)) et « \(category) »",
                                      hint: "une commune appartient à une seule catégorie : gardez une seule ligne")
                } else {
                    diagnostics.error(at: row.location("code_insee"), "la commune \(code) figure deux fois (déjà ligne \(line))",
                                      hint: "gardez une seule ligne par commune")
                }
                continue
            }
            firstLine[code] = (row.line, category)
            communeLines[code] = row.location("code_insee")
            if let population, !name.isEmpty {
                communes.append(Commune(code: code, name: name, population: population, category: category))
            }
        }
        if rows.isEmpty {
            diagnostics.error(at: SourceLocation(path: folder.display(file), line: 2), "aucune commune",
                              hint: "une ligne par commune : code_insee, commune, population, categorie")
        }
        for category in categories where !communes.contains(where: { $0.category == category.code }) && !diagnostics.hasErrors {
            diagnostics.warning(at: SourceLocation(path: folder.display(file)), "la catégorie « \(category.code) » n'a aucune commune")
        }
        return communes
    }

    /// The commune of a data row, which must be in the communes file.
    mutating func knownCommune(_ raw: String, _ byCode: [String: Commune], at location: SourceLocation) -> Commune? {
        guard let code = TableRules.communeCode(raw, at: location, padded: &paddedCodes, &diagnostics) else { return nil }
        if let commune = byCode[code] { return commune }
        // The communes file is unreadable, or this commune's line there is already reported.
        guard let listedCodes, !listedCodes.contains(code) else { return nil }
        let close = nearest(code, among: Array(byCode.keys)).compactMap { c in byCode[c].map { "\(c) \($0.name)" } }
        diagnostics.error(at: location, "commune \(code) inconnue : elle n'est pas dans la liste des communes du projet",
                          hint: close.isEmpty ? "ajoutez-la au fichier des communes ou corrigez le code" : "codes proches : \(close.joined(separator: ", "))")
        return nil
    }

    mutating func readObjectives(_ file: String, categories: [Category], communes: [Commune], segments: [Segment]) -> [Objective] {
        guard let (table, rows) = csv(file, table: "objectifs", required: ["segment", "logements", "periode"], optional: ["categorie", "code_insee"]) else { return [] }
        if !table.has("categorie") && !table.has("code_insee") {
            diagnostics.error(at: SourceLocation(path: table.path, line: 1), "ni colonne « categorie » ni colonne « code_insee »",
                              hint: "un objectif porte sur une catégorie ou sur une commune")
            return []
        }
        let byCode = Dictionary(communes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let categoryCodes = categories.map(\.code)
        let segmentCodes = segments.map(\.code)
        var objectives: [Objective] = []
        var seen: [String: Int] = [:]
        var scopesBySegment: [String: (categoryLevel: Bool, line: Int)] = [:]
        for row in rows {
            let category = row["categorie"]
            var commune = row["code_insee"]
            var scope: Objective.Scope?
            if !commune.isEmpty {
                if let found = knownCommune(commune, byCode, at: row.location("code_insee")) {
                    commune = found.code
                    if !category.isEmpty && category != found.category {
                        diagnostics.error(at: row.location("categorie"),
                                          "la commune \(commune) est dans la catégorie « \(found.category) », pas « \(category) »",
                                          hint: "laissez la colonne categorie vide pour un objectif communal")
                    }
                    scope = .commune(commune)
                }
            } else if category.isEmpty {
                diagnostics.error(at: row.location("categorie"), "objectif sans catégorie ni commune",
                                  hint: "indiquez la catégorie (\(categoryCodes.joined(separator: ", "))) ou le code INSEE de la commune")
            } else if categoryCodes.contains(category) {
                scope = .category(category)
            } else {
                diagnostics.error(at: row.location("categorie"), "catégorie « \(category) » non déclarée dans plh.yaml",
                                  hint: suggestion(for: category, among: categoryCodes) ?? "catégories déclarées : \(categoryCodes.joined(separator: ", "))")
            }
            let fields = TableRules.objective(row, segments: segmentCodes, declaredIn: planFile, &diagnostics)
            guard let scope, let (segment, dwellings, period) = fields else { continue }
            let scopeKey: String, groupKey: String
            switch scope {
            case .category(let c): scopeKey = "c:\(c)"; groupKey = "\(c)|\(segment)"
            case .commune(let c): scopeKey = "m:\(c)"; groupKey = "\(byCode[c]!.category)|\(segment)"
            }
            let key = "\(scopeKey)|\(segment)"
            if let line = seen[key] {
                diagnostics.error(at: row.location("segment"), "objectif en double pour ce segment (déjà ligne \(line))",
                                  hint: "gardez une seule ligne par catégorie (ou commune) et segment")
                continue
            }
            seen[key] = row.line
            let isCategoryLevel = { if case .category = scope { return true } else { return false } }()
            if let previous = scopesBySegment[groupKey], previous.categoryLevel != isCategoryLevel {
                diagnostics.error(at: row.location(isCategoryLevel ? "categorie" : "code_insee"),
                                  "objectifs à la fois par catégorie et par commune pour le même segment (voir ligne \(previous.line))",
                                  hint: "donnez l'objectif de ce segment soit pour la catégorie, soit commune par commune")
                continue
            }
            scopesBySegment[groupKey] = (isCategoryLevel, row.line)
            objectives.append(Objective(scope: scope, segment: segment, dwellings: dwellings, period: period))
        }
        return objectives
    }

    /// Production rows; rows of the same commune, year and segment from different sources (imports, or typed
    /// in with an empty `source`) add up, while one source cannot give the same commune, year and segment twice.
    mutating func readProduction(_ file: String, communes: [Commune], segments: [Segment], plan: Plan?,
                                 sources: [SourceRecord] = []) -> [ProductionRecord] {
        guard let (table, rows) = csv(file, table: "production", required: ProductionColumns.required, optional: ["commune", "source"]),
              let columns = ProductionColumns(table.columns) else { return [] }
        let kinds = Dictionary(sources.map { ($0.identifier, $0.kind) }, uniquingKeysWith: { a, _ in a })
        let segmentCodes = segments.map(\.code)
        // One record per commune, year and segment; one row per source as well (a second one is a mistake).
        struct Key: Hashable { var code: String, year: Int, segment: String }
        struct SourcedKey: Hashable { var key: Key, source: String }
        var index: [Key: Int] = [:]
        var unknownSources: Set<String> = []
        let byCode = Dictionary(communes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var records: [ProductionRecord] = []
        var seen: [SourcedKey: Int] = [:]
        index.reserveCapacity(rows.count)
        seen.reserveCapacity(rows.count)
        var namesChecked: Set<String> = []
        var otherNames: [(typed: String, commune: Commune, at: SourceLocation)] = []
        for row in rows {
            let commune = knownCommune(row["code_insee"], byCode, at: row.location("code_insee"))
            let code = commune?.code ?? row["code_insee"]
            if let commune, !row["commune"].isEmpty, namesChecked.insert(code).inserted,
               normalisedName(row["commune"]) != normalisedName(commune.name) {
                otherNames.append((row["commune"], commune, row.location("commune")))
            }
            let fields = TableRules.production(row, columns, segments: segmentCodes, plan: plan?.years, declaredIn: planFile,
                                               &diagnostics)
            guard commune != nil, let (year, segment, dwellings) = fields else { continue }
            let source = row["source"]
            let key = Key(code: code, year: year, segment: segment)
            if let line = seen[SourcedKey(key: key, source: source)] {
                diagnostics.error(at: row.location("code_insee"), "la commune \(code), l'année \(year) et le segment « \(segment) » figurent déjà ligne \(line)"
                                  + (source.isEmpty ? "" : " pour la même source « \(source) »"),
                                  hint: "additionnez les deux lignes en une seule")
                continue
            }
            seen[SourcedKey(key: key, source: source)] = row.line
            if !source.isEmpty {
                if let kind = kinds[source] {
                    if sourceKindsBySegment[segment, default: [:]][kind] == nil { sourceKindsBySegment[segment, default: [:]][kind] = row.location("source") }
                } else if unknownSources.insert(source).inserted {
                    diagnostics.warning(at: row.location("source"), "source « \(source) » absente de \(fileNames.sources)",
                                        hint: "ces lignes viennent d'un import dont la trace est perdue ; réimportez le fichier pour la retrouver")
                }
            }
            if let i = index[key] {
                // Each row is bounded, so a sum of them cannot overflow in practice; it is checked all the same.
                let (sum, overflow) = records[i].dwellings.addingReportingOverflow(dwellings)
                if overflow || sum > Limits.dwellings * 100 {
                    diagnostics.error(at: row.location(at: columns.dwellings), "total de logements hors limite pour \(code), \(year), « \(segment) »",
                                      hint: tooLargeHint)
                    continue
                }
                records[i].dwellings = sum
            } else {
                index[key] = records.count
                records.append(ProductionRecord(commune: code, year: year, segment: segment, dwellings: dwellings))
            }
        }
        reportOtherNames(otherNames)
        return records
    }

    /// Names typed in the production file that are not the official ones: one warning for the file, not one per commune.
    mutating func reportOtherNames(_ names: [(typed: String, commune: Commune, at: SourceLocation)]) {
        let hint = "le code INSEE fait foi ; vérifiez qu'il désigne bien cette commune"
        guard let first = names.first else { return }
        if names.count == 1 {
            diagnostics.warning(at: first.at, "« \(first.typed) » ne correspond pas au nom officiel de la commune \(first.commune.code) : « \(first.commune.name) »",
                                hint: hint)
            return
        }
        let listed = names.prefix(10).map { "« \($0.typed) » pour \($0.commune.code) \($0.commune.name) (ligne \($0.at.line ?? 0))" }
        let more = names.count > 10 ? ", et \(French.count(names.count - 10, "autre"))" : ""
        diagnostics.warning(at: first.at, "\(French.integer(names.count)) noms de commune ne correspondent pas au nom officiel : \(listed.joined(separator: ", "))\(more)",
                            hint: hint)
    }
}
