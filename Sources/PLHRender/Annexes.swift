import Foundation
import PLHCompute
import PLHBase
import PLHModel

/// The CSV annexes: a stable interface in the French spreadsheet dialect
/// (`;`, decimal comma, UTF-8 with BOM, CRLF, rates as plain numbers such as `33,3`);
/// and the same tables in a workbook for people (`annexes.xlsx`, AnnexWorkbook.swift).
public enum Annexes {
    public struct File: Sendable {
        /// Path relative to the bilan's folder, e.g. `annexes/production-communes.csv`.
        public var path: String
        public var description: String
        public var bytes: [UInt8]
    }

    static let descriptions: [(String, String)] = [
        ("annexes/production-communes.csv", "production comptée par commune, année et segment"),
        ("annexes/realisation-categories.csv", "objectifs, production et taux de réalisation par catégorie et segment, et pour l'EPCI"),
        ("annexes/realisation-communes.csv", "objectifs, production et taux de réalisation par commune et segment"),
        (workbookPath, "les mêmes tableaux en classeur, pour un tableur"),
    ]

    static let figureHeader = ["objectif_plh", "objectif_a_date", "production", "taux_realisation_plh",
                               "taux_realisation_a_date", "part_production"]

    /// Builds the three CSV annexes and the workbook, straight into bytes: a national batch writes millions of cells.
    /// Without `workbook`, the CSV annexes alone (a national batch, where the workbook would double the work).
    public static func files(project: Project, achievement: Achievement, workbook withWorkbook: Bool = true) -> [File] {
        // Each commune's leading cells (code, name, category) are encoded once, not once per row.
        var communePrefix: [String: [UInt8]] = [:]
        communePrefix.reserveCapacity(project.communes.count)
        for commune in project.communes where communePrefix[commune.code] == nil {
            var cells = CSVBytes(bom: false)
            cells.text(commune.code)
            cells.text(commune.name)
            cells.text(commune.category)
            communePrefix[commune.code] = cells.finish()
        }

        var production = CSVBytes()
        production.header(["code_insee", "commune", "categorie", "annee", "segment", "logements"])
        // Rows come sorted by commune: its cells are looked up once for its run of rows.
        var last: (commune: String, cells: [UInt8]?) = ("", nil)
        for record in achievement.countedProduction {
            if record.commune != last.commune { last = (record.commune, communePrefix[record.commune]) }
            if let prefix = last.cells {
                production.raw(prefix)
            } else {
                production.text(record.commune)
                production.text("")
                production.text("")
            }
            production.integer(record.year)
            production.text(record.segment)
            production.integer(record.dwellings)
            production.endRow()
        }

        var categories = CSVBytes()
        categories.header(["categorie", "segment"] + figureHeader)
        for unit in achievement.categories + [achievement.epci] {
            let code: String
            if case .category(let category) = unit.kind { code = category.code } else { code = "EPCI" }
            rows(unit, into: &categories) { $0.text(code) }
        }

        var communes = CSVBytes()
        communes.header(["code_insee", "commune", "categorie", "segment"] + figureHeader)
        for unit in achievement.communes {
            guard case .commune(let commune) = unit.kind else { continue }
            rows(unit, into: &communes) { row in
                if let prefix = communePrefix[commune.code] {
                    row.raw(prefix)
                } else {
                    row.text(commune.code)
                    row.text(commune.name)
                    row.text(commune.category)
                }
            }
        }

        let tables = [production.finish(), categories.finish(), communes.finish()]
            + (withWorkbook ? [workbook(project: project, achievement: achievement)] : [])
        return zip(descriptions, tables).map { File(path: $0.0, description: $0.1, bytes: $1) }
    }

    /// One row per segment, then `ensemble`, each after the unit's leading cells.
    static func rows(_ unit: UnitFigures, into table: inout CSVBytes, leading: (inout CSVBytes) -> Void) {
        for item in unit.bySegment {
            leading(&table)
            table.text(item.segment.code)
            cells(item.figures, into: &table)
            table.endRow()
        }
        leading(&table)
        table.text("ensemble")
        cells(unit.total, into: &table)
        table.endRow()
    }

    static func cells(_ f: Figures, into table: inout CSVBytes) {
        table.number(f.planObjective)
        table.number(f.proratedObjective)
        table.integer(f.production)
        table.number(f.rateAgainstPlan.map { $0 * 100 })
        table.number(f.rateAgainstProrated.map { $0 * 100 })
        table.number(f.shareOfProduction.map { $0 * 100 })
    }

    /// UTF-8 with BOM, `;`, CRLF; fields quoted when needed, and formula-like text neutralised for spreadsheets.
    public static func encode(_ table: [[String]]) -> [UInt8] {
        var out = CSVBytes()
        for row in table {
            for value in row { out.text(value) }
            out.endRow()
        }
        return out.finish()
    }

    /// Whether a cell may need quoting or neutralising; most cells (numbers, codes, names) do not.
    static func needsCare(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            switch first {
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09: return true
            default: break
            }
            var previous: UInt8 = 0
            for byte in bytes {
                switch byte {
                // ; " line breaks, control characters (C0, DEL, and C1 as C2 80–9F).
                case 0x3B, 0x22, 0x0A, 0x0D, 0x00..<0x20, 0x7F: return true
                case 0x80...0x9F where previous == 0xC2: return true
                default: previous = byte
                }
            }
            return false
        }
    }

    /// A cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.
    /// Control characters from input names are removed first: a spreadsheet or a terminal would show them raw.
    static func cell(_ value: String) -> String {
        var text = value.withoutControlCharacters
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isNumber(text) {
            text = "'" + text
        }
        if text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    static func isNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        return !body.isEmpty && parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// A CSV table in the annexes' dialect, written cell by cell into bytes.
struct CSVBytes {
    private var buffer = ByteBuffer(capacity: 4096)
    private var atRowStart = true

    init(bom: Bool = true) {
        if bom { buffer.append("\u{FEFF}" as StaticString) }
    }

    /// The table's bytes, the table given up (no copy).
    consuming func finish() -> [UInt8] { buffer.finish() }

    private mutating func separate() {
        if !atRowStart { buffer.append(0x3B) }
        atRowStart = false
    }

    mutating func header(_ names: [String]) {
        for name in names { text(name) }
        endRow()
    }

    /// Any text: quoted or neutralised when needed.
    mutating func text(_ value: String) {
        separate()
        buffer.append(Annexes.needsCare(value) ? Annexes.cell(value) : value)
    }

    /// Cells already encoded (with their separators), such as a commune's code, name and category.
    mutating func raw(_ cells: [UInt8]) {
        separate()
        buffer.append(cells)
    }

    mutating func integer(_ value: Int) {
        separate()
        French.appendDigits(of: value, to: &buffer)
    }

    /// `French.plainNumber` with one decimal, or an empty cell.
    mutating func number(_ value: Double?) {
        separate()
        guard let value else { return }
        let (negative, whole, tenths) = French.roundedTenths(value)
        if negative && (whole != 0 || tenths != 0) { buffer.append(0x2D) }
        French.appendDigits(of: whole, to: &buffer)
        if tenths != 0 {
            buffer.append(0x2C)
            buffer.append(0x30 + UInt8(tenths))
        }
    }

    mutating func endRow() {
        buffer.append(0x0D)
        buffer.append(0x0A)
        atRowStart = true
    }
}
