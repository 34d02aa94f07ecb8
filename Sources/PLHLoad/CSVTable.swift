import Foundation
import PLHBase
import PLHModel

/// The columns of a CSV file, found by name: the header is matched whatever its case, accents or spacing.
package final class CSVColumns: Sendable {
    package let path: String
    package let delimiter: Character
    package let count: Int

    /// Each wanted column found in the header, by canonical name, in header order: a table has a handful, which a
    /// comparison of names finds sooner than a hash of the name (each cell read by name looks its column up).
    private let found: [(name: String, position: Int)]

    /// Where a column is.
    func position(_ name: String) -> Int? {
        for column in found where column.name == name { return column.position }
        return nil
    }

    init(path: String, delimiter: Character, index: [String: Int], count: Int) {
        self.path = path
        self.delimiter = delimiter
        self.count = count
        found = index.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
    }
}

/// A CSV file read by column name, row by row.
package struct CSVTable {
    package let columns: CSVColumns

    package var path: String { columns.path }

    /// Maps the header; a missing required column is an error, an unknown column a warning.
    package init(header: CSVRecord?, path: String, delimiter: Character, required: [String], optional: [String] = [],
         ignoresOthers: Bool = false, diagnostics: inout Diagnostics) {
        var index: [String: Int] = [:]
        let fileLocation = SourceLocation(path: path, line: 1, column: 1)
        guard let header else {
            diagnostics.error(at: fileLocation, "le fichier est vide",
                              hint: "la première ligne doit nommer les colonnes : \(required.joined(separator: ";"))")
            columns = CSVColumns(path: path, delimiter: delimiter, index: [:], count: 0)
            return
        }
        let known = required + optional
        for (position, name) in header.fields.enumerated() {
            let key = normalisedName(name)
            let location = SourceLocation(path: path, line: header.line, column: header.columns[position])
            if let canonical = known.first(where: { $0 == key }) {
                if index[canonical] != nil {
                    diagnostics.error(at: location, "la colonne « \(name) » apparaît deux fois")
                } else {
                    index[canonical] = position
                }
            } else if !key.isEmpty && !ignoresOthers {
                diagnostics.warning(at: location, "colonne « \(name) » inconnue, ignorée",
                                    hint: suggestion(for: key, among: known.filter { index[$0] == nil })
                                        ?? "colonnes reconnues : \(known.joined(separator: ", "))")
            }
        }
        for name in required where index[name] == nil {
            diagnostics.error(at: SourceLocation(path: path, line: header.line),
                              "colonne obligatoire « \(name) » absente de l'en-tête",
                              hint: "l'en-tête attendu est : \(known.joined(separator: delimiter == "\t" ? " " : String(delimiter)))")
        }
        columns = CSVColumns(path: path, delimiter: delimiter, index: index, count: header.fields.count)
    }

    /// The record as a row, or nil (reported) when its number of fields differs from the header's; nil, and not
    /// reported, for a row of empty cells (`;;;;`, which a spreadsheet leaves where lines were deleted).
    package func row(_ record: CSVRecord, diagnostics: inout Diagnostics) -> CSVRow? {
        if record.fields.allSatisfy(isBlank) { return nil }
        guard record.fields.count == columns.count else {
            let d = columns.delimiter
            diagnostics.error(at: SourceLocation(path: path, line: record.line),
                              "\(record.fields.count) champ\(record.fields.count > 1 ? "s" : "") au lieu de \(columns.count)",
                              hint: "chaque ligne doit avoir autant de champs que l'en-tête, séparés par « \(d == "\t" ? "tabulation" : String(d)) »")
            return nil
        }
        return CSVRow(columns: columns, record: record)
    }

    package func has(_ column: String) -> Bool { columns.position(column) != nil }
}

/// One data row, read by column name.
package struct CSVRow {
    package let columns: CSVColumns
    package let record: CSVRecord

    package var line: Int { record.line }

    package func location(_ column: String) -> SourceLocation {
        let position = columns.position(column)
        return SourceLocation(path: columns.path, line: record.line, column: position.map { record.columns[$0] })
    }

    /// The trimmed text of a column, empty when the column is absent.
    package subscript(_ column: String) -> String {
        guard let position = columns.position(column) else { return "" }
        return trimmed(record.fields[position])
    }

    /// A number of dwellings that may have a decimal comma (an objective such as « 12,5 » a year), at most `maximum`.
    package func decimal(_ column: String, what: String, maximum: Int = Limits.objective,
                         diagnostics: inout Diagnostics) -> Double? {
        let raw = self[column]
        if let whole = plainCount(raw), whole <= maximum { return Double(whole) }
        if raw.isEmpty {
            diagnostics.error(at: location(column), "\(what) manquant")
            return nil
        }
        let text = raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }.replacingOccurrences(of: ",", with: ".")
        let valid = !text.isEmpty && text.filter({ $0 == "." }).count <= 1 && text.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
        guard valid, let value = Double(text), value.isFinite else {
            diagnostics.error(at: location(column), "\(what) « \(raw) » n'est pas un nombre positif",
                              hint: text.hasPrefix("-") ? "un objectif ne peut pas être négatif" : "écrivez par exemple 120 ou 12,5")
            return nil
        }
        guard value <= Double(maximum) else {
            diagnostics.error(at: location(column), tooLarge(what, raw, maximum), hint: tooLargeHint)
            return nil
        }
        return value
    }

    /// The trimmed text of the field at `position`.
    package func text(at position: Int) -> String { trimmed(record.fields[position]) }

    package func location(at position: Int) -> SourceLocation {
        SourceLocation(path: columns.path, line: record.line, column: record.columns[position])
    }

    /// A whole number of dwellings (or inhabitants), at most `maximum`: digits only, spaces as thousands
    /// separators allowed.
    package func count(_ column: String, what: String, maximum: Int = Limits.dwellings,
                       diagnostics: inout Diagnostics) -> Int? {
        guard let position = columns.position(column) else {
            diagnostics.error(at: location(column), "\(what) manquant")
            return nil
        }
        return count(at: position, what: what, maximum: maximum, diagnostics: &diagnostics)
    }

    package func count(at position: Int, what: String, maximum: Int = Limits.dwellings,
                       diagnostics: inout Diagnostics) -> Int? {
        let raw = text(at: position)
        if let value = plainCount(raw), value <= maximum { return value }
        if raw.isEmpty {
            diagnostics.error(at: location(at: position), "\(what) manquant")
            return nil
        }
        let digits = raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Whole and positive, so only its size can be wrong (a number too long for `Int` included).
            if let value = Int(digits), value <= maximum { return value }
            diagnostics.error(at: location(at: position), tooLarge(what, raw, maximum), hint: tooLargeHint)
            return nil
        }
        let hint: String
        if digits.hasPrefix("-") {
            hint = "un nombre de logements ne peut pas être négatif"
        } else if digits.contains(",") || digits.contains(".") {
            hint = "indiquez un nombre entier de logements, sans décimale"
        } else {
            hint = "indiquez un nombre entier positif ou nul, par exemple 12"
        }
        diagnostics.error(at: location(at: position), "\(what) « \(raw) » n'est pas un nombre entier positif", hint: hint)
        return nil
    }

    /// A calendar year, within `Limits.years`.
    package func year(at position: Int, what: String, diagnostics: inout Diagnostics) -> Int? {
        let raw = text(at: position)
        if let value = plainCount(raw), Limits.years.contains(value) { return value }
        guard let value = count(at: position, what: what, maximum: Int.max, diagnostics: &diagnostics) else { return nil }
        diagnostics.error(at: location(at: position), "\(what) « \(value) » n'est pas une année plausible",
                          hint: "une année s'écrit sur quatre chiffres, entre \(Limits.years.lowerBound) et \(Limits.years.upperBound), par exemple 2019")
        return nil
    }

    package func year(_ column: String, what: String, diagnostics: inout Diagnostics) -> Int? {
        guard let position = columns.position(column) else {
            diagnostics.error(at: location(column), "\(what) manquante")
            return nil
        }
        return year(at: position, what: what, diagnostics: &diagnostics)
    }

    /// The common case, read straight from the bytes: one to nine ASCII digits.
    private func plainCount(_ text: String) -> Int? {
        var value = 0, digits = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39, digits < 9 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}

/// The text without surrounding white space; the common case (nothing to trim) allocates nothing.
package func trimmed(_ text: String) -> String {
    // Most cells need nothing: their first and last bytes, read without walking the UTF-8 view, say so.
    var text = text
    let clean = text.withUTF8 { bytes -> Bool? in
        guard let first = bytes.first, let last = bytes.last else { return nil }
        return first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
    }
    guard let clean else { return text }
    if clean { return text }
    var s = Substring(text)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return String(s)
}

/// « population « 9223372036854775807 » hors limite : PLH Bilan lit au plus 100 000 000 ».
func tooLarge(_ what: String, _ raw: String, _ maximum: Int) -> String {
    "\(what) « \(raw) » hors limite : PLH Bilan lit au plus \(French.integer(maximum))"
}

let tooLargeHint = "vérifiez la cellule : un nombre aussi grand vient souvent d'une colonne décalée ou d'une valeur collée au mauvais endroit"

/// Whether a cell holds nothing but white space.
func isBlank(_ field: String) -> Bool {
    // Most cells start with a visible ASCII character: answered from the first byte.
    guard let first = field.utf8.first else { return true }
    if first > 0x20 && first < 0x80 { return false }
    return trimmed(field).isEmpty
}
