import Foundation
import PLHModel

/// A CSV document read by column name: the header is matched whatever its case, accents or spacing.
struct CSVTable {
    let document: CSVDocument
    /// Column index of each wanted column found in the header, by canonical name.
    private(set) var index: [String: Int] = [:]

    /// Maps the header; a missing required column is an error, an unknown column a warning.
    init(_ document: CSVDocument, required: [String], optional: [String] = [], diagnostics: inout Diagnostics) {
        self.document = document
        let fileLocation = SourceLocation(path: document.path, line: 1, column: 1)
        guard let header = document.records.first else {
            diagnostics.error(at: fileLocation, "le fichier est vide",
                              hint: "la première ligne doit nommer les colonnes : \(required.joined(separator: ";"))")
            return
        }
        let known = required + optional
        for (position, name) in header.fields.enumerated() {
            let key = normalisedName(name)
            let location = SourceLocation(path: document.path, line: header.line, column: header.columns[position])
            if let canonical = known.first(where: { $0 == key }) {
                if index[canonical] != nil {
                    diagnostics.error(at: location, "la colonne « \(name) » apparaît deux fois")
                } else {
                    index[canonical] = position
                }
            } else if !key.isEmpty {
                diagnostics.warning(at: location, "colonne « \(name) » inconnue, ignorée",
                                    hint: suggestion(for: key, among: known.filter { index[$0] == nil })
                                        ?? "colonnes reconnues : \(known.joined(separator: ", "))")
            }
        }
        for name in required where index[name] == nil {
            diagnostics.error(at: SourceLocation(path: document.path, line: header.line),
                              "colonne obligatoire « \(name) » absente de l'en-tête",
                              hint: "l'en-tête attendu est : \(known.joined(separator: document.delimiter == "\t" ? " " : String(document.delimiter)))")
        }
    }

    var isUsable: Bool { document.records.count > 0 }

    /// Data rows (after the header) whose number of fields matches the header; others are reported.
    func rows(diagnostics: inout Diagnostics) -> [CSVRow] {
        guard let header = document.records.first else { return [] }
        var rows: [CSVRow] = []
        for record in document.records.dropFirst() {
            if record.fields.count != header.fields.count {
                diagnostics.error(at: SourceLocation(path: document.path, line: record.line),
                                  "\(record.fields.count) champ\(record.fields.count > 1 ? "s" : "") au lieu de \(header.fields.count)",
                                  hint: "chaque ligne doit avoir autant de champs que l'en-tête, séparés par « \(document.delimiter == "\t" ? "tabulation" : String(document.delimiter)) »")
                continue
            }
            rows.append(CSVRow(table: self, record: record))
        }
        return rows
    }

    func has(_ column: String) -> Bool { index[column] != nil }
}

/// One data row, read by column name.
struct CSVRow {
    let table: CSVTable
    let record: CSVRecord

    var line: Int { record.line }

    func location(_ column: String) -> SourceLocation {
        let position = table.index[column]
        return SourceLocation(path: table.document.path, line: record.line, column: position.map { record.columns[$0] })
    }

    /// The trimmed text of a column, empty when the column is absent.
    subscript(_ column: String) -> String {
        guard let position = table.index[column] else { return "" }
        return trimmed(record.fields[position])
    }

    /// A number of dwellings that may have a decimal comma (an objective such as « 12,5 » a year).
    func decimal(_ column: String, what: String, diagnostics: inout Diagnostics) -> Double? {
        let raw = self[column]
        if raw.isEmpty {
            diagnostics.error(at: location(column), "\(what) manquant")
            return nil
        }
        let text = raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }.replacingOccurrences(of: ",", with: ".")
        let valid = !text.isEmpty && text.filter({ $0 == "." }).count <= 1 && text.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
        guard valid, let value = Double(text) else {
            diagnostics.error(at: location(column), "\(what) « \(raw) » n'est pas un nombre positif",
                              hint: text.hasPrefix("-") ? "un objectif ne peut pas être négatif" : "écrivez par exemple 120 ou 12,5")
            return nil
        }
        return value
    }

    /// A whole number of dwellings (or a year): digits only, spaces as thousands separators allowed.
    func count(_ column: String, what: String, diagnostics: inout Diagnostics) -> Int? {
        let raw = self[column]
        if raw.isEmpty {
            diagnostics.error(at: location(column), "\(what) manquant")
            return nil
        }
        let digits = raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        if let value = Int(digits), value >= 0, !digits.hasPrefix("+") {
            return value
        }
        let hint: String
        if digits.hasPrefix("-") {
            hint = "un nombre de logements ne peut pas être négatif"
        } else if digits.contains(",") || digits.contains(".") {
            hint = "indiquez un nombre entier de logements, sans décimale"
        } else {
            hint = "indiquez un nombre entier positif ou nul, par exemple 12"
        }
        diagnostics.error(at: location(column), "\(what) « \(raw) » n'est pas un nombre entier positif", hint: hint)
        return nil
    }
}

func trimmed(_ text: String) -> String {
    var s = Substring(text)
    while let first = s.first, first.isWhitespace { s = s.dropFirst() }
    while let last = s.last, last.isWhitespace { s = s.dropLast() }
    return String(s)
}
