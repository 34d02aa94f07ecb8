import PLHBase
import PLHModel

/// `sources.csv`: one row per imported file, written by `plh-bilan init` and `plh-bilan import`.
public enum SourcesFile {
    /// The columns, in the order they are written.
    public static let columns = ["identifiant", "type", "fichier", "sha256", "date_import", "stade", "lignes_lues",
                                 "lignes_retenues", "hors_epci", "hors_periode"]

    /// The file's text (UTF-8, `;`), rows in the order given.
    public static func text(_ records: [SourceRecord]) -> String {
        var out = columns.joined(separator: ";") + "\n"
        for r in records {
            let fields = [r.identifier, r.kind.rawValue, r.file, r.sha256, r.importDate.iso8601, r.stage?.code ?? "",
                          String(r.rowsRead), String(r.rowsKept), String(r.outsideEPCI), String(r.outsidePeriod)]
            out += fields.map(csvField).joined(separator: ";") + "\n"
        }
        return out
    }
}

extension LoadState {
    /// Reads `sources.csv`, each value checked where it stands.
    mutating func readSources(_ file: String) -> [SourceRecord] {
        guard let (_, rows) = csv(file, required: ["identifiant", "type", "fichier", "sha256", "date_import", "lignes_lues", "lignes_retenues"],
                                  optional: ["stade", "hors_epci", "hors_periode"]) else { return [] }
        var records: [SourceRecord] = []
        var seen: [String: Int] = [:]
        let kinds = SourceKind.allCases.map(\.rawValue)
        let stages = CountingStage.allCases.map(\.code)
        for row in rows {
            let identifier = row["identifiant"]
            if identifier.isEmpty { diagnostics.error(at: row.location("identifiant"), "identifiant de source manquant") }
            if let line = seen[identifier], !identifier.isEmpty {
                diagnostics.error(at: row.location("identifiant"), "la source « \(identifier) » figure déjà ligne \(line)",
                                  hint: "gardez une seule ligne par fichier importé")
            }
            seen[identifier] = row.line
            let kind = SourceKind(rawValue: normalisedName(row["type"]))
            if kind == nil {
                diagnostics.error(at: row.location("type"), "type de source « \(row["type"]) » inconnu",
                                  hint: suggestion(for: row["type"], among: kinds) ?? "types : \(kinds.joined(separator: ", "))")
            }
            let sha = row["sha256"].lowercased()
            let shaOK = sha.count == 64 && sha.allSatisfy { $0.isHexDigit && $0.isASCII }
            if !shaOK {
                diagnostics.error(at: row.location("sha256"), "empreinte « \(row["sha256"]) » invalide",
                                  hint: "une empreinte SHA-256 s'écrit avec 64 caractères hexadécimaux")
            }
            let date = CalendarDate(parsing: row["date_import"])
            if date == nil {
                diagnostics.error(at: row.location("date_import"), "date d'import « \(row["date_import"]) » invalide",
                                  hint: "écrivez la date sous la forme 2026-11-23")
            }
            let stageCode = normalisedName(row["stade"])
            let stage = CountingStage(code: stageCode)
            if !stageCode.isEmpty && stage == nil {
                diagnostics.error(at: row.location("stade"), "stade « \(row["stade"]) » inconnu",
                                  hint: suggestion(for: stageCode, among: stages) ?? "stades : \(stages.joined(separator: ", "))")
            }
            let read = row.count("lignes_lues", what: "nombre de lignes lues", maximum: Limits.rowsOfAFile, diagnostics: &diagnostics)
            let kept = row.count("lignes_retenues", what: "nombre de lignes retenues", maximum: Limits.rowsOfAFile, diagnostics: &diagnostics)
            func optionalCount(_ column: String, _ what: String) -> Int? {
                row[column].isEmpty ? 0 : row.count(column, what: what, maximum: Limits.rowsOfAFile, diagnostics: &diagnostics)
            }
            let outside = optionalCount("hors_epci", "nombre de lignes hors de l'EPCI")
            let period = optionalCount("hors_periode", "nombre de lignes hors période")
            guard !identifier.isEmpty, let kind, shaOK, let date, let read, let kept, let outside, let period else { continue }
            records.append(SourceRecord(identifier: identifier, kind: kind, file: row["fichier"].isEmpty ? identifier : row["fichier"],
                                        sha256: sha, importDate: date, stage: stage, rowsRead: read,
                                        rowsKept: kept, outsideEPCI: outside, outsidePeriod: period))
        }
        return records
    }

    /// Imports that count another stage than the bilan, and segments fed by two kinds of source.
    mutating func warnAboutSources(_ sources: [SourceRecord], bilan: Bilan, segments: [Segment], stageAt: SourceLocation?) {
        for source in sources {
            guard let stage = source.stage, stage != bilan.stage else { continue }
            diagnostics.warning(at: stageAt,
                                "le bilan compte les \(bilan.stage.dwellings), mais la source « \(source.identifier) » compte les \(stage.dwellings)",
                                hint: "changez bilan.stade, ou réimportez le fichier au stade du bilan"
                                    + (source.kind == .sitadel && !bilan.stage.sitadelDateColumns.isEmpty ? " (--stage \(bilan.stage.code) --replace)" : ""))
        }
        for segment in segments {
            guard let kinds = sourceKindsBySegment[segment.code], kinds.count > 1 else { continue }
            let names = kinds.keys.map(\.rawValue).sorted()
            diagnostics.warning(at: kinds.values.sorted { ($0.line ?? 0) < ($1.line ?? 0) }.last,
                                "le segment « \(segment.code) » reçoit des lignes de sources de types différents (\(frenchEnumeration(names))) : risque de double compte",
                                hint: "un logement agréé peut aussi être autorisé : faites recevoir chaque segment d'un seul type de source")
        }
    }
}
