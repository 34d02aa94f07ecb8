import Foundation
import PLHCompute
import PLHModel

/// The CSV annexes: a stable interface in the French spreadsheet dialect
/// (`;`, decimal comma, UTF-8 with BOM, CRLF, rates as plain numbers such as `33,3`).
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
    ]

    static let figureHeader = ["objectif_plh", "objectif_a_date", "production", "taux_realisation_plh",
                               "taux_realisation_a_date", "part_production"]

    /// Builds the three annexes.
    public static func files(project: Project, achievement: Achievement) -> [File] {
        let segmentLabel = Dictionary(project.segments.map { ($0.code, $0.code) }, uniquingKeysWith: { a, _ in a })
        let byCode = Dictionary(project.communes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

        var production = [["code_insee", "commune", "categorie", "annee", "segment", "logements"]]
        for record in achievement.countedProduction {
            let commune = byCode[record.commune]
            production.append([record.commune, commune?.name ?? "", commune?.category ?? "", String(record.year),
                               segmentLabel[record.segment] ?? record.segment, String(record.dwellings)])
        }

        var categories = [["categorie", "segment"] + figureHeader]
        for unit in achievement.categories + [achievement.epci] {
            let code: String
            if case .category(let category) = unit.kind { code = category.code } else { code = "EPCI" }
            categories += rows(unit).map { [code] + $0 }
        }

        var communes = [["code_insee", "commune", "categorie", "segment"] + figureHeader]
        for unit in achievement.communes {
            guard case .commune(let commune) = unit.kind else { continue }
            communes += rows(unit).map { [commune.code, commune.name, commune.category] + $0 }
        }

        let tables = [production, categories, communes]
        return zip(descriptions, tables).map { File(path: $0.0, description: $0.1, bytes: encode($1)) }
    }

    static func rows(_ unit: UnitFigures) -> [[String]] {
        unit.bySegment.map { [$0.segment.code] + cells($0.figures) } + [["ensemble"] + cells(unit.total)]
    }

    static func cells(_ f: Figures) -> [String] {
        func rate(_ r: Double?) -> String { r.map { French.plainNumber($0 * 100) } ?? "" }
        return [f.planObjective.map { French.plainNumber($0) } ?? "",
                f.proratedObjective.map { French.plainNumber($0) } ?? "",
                String(f.production),
                rate(f.rateAgainstPlan), rate(f.rateAgainstProrated), rate(f.shareOfProduction)]
    }

    /// UTF-8 with BOM, `;`, CRLF; fields quoted when needed, and formula-like text neutralised for spreadsheets.
    public static func encode(_ table: [[String]]) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        out.reserveCapacity(table.count * 48)
        for row in table {
            for (i, value) in row.enumerated() {
                if i > 0 { out.append(0x3B) }
                if needsCare(value) { out.append(contentsOf: cell(value).utf8) } else { out.append(contentsOf: value.utf8) }
            }
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }

    /// Whether a cell may need quoting or neutralising; most cells (numbers, codes, names) do not.
    static func needsCare(_ value: String) -> Bool {
        for (i, byte) in value.utf8.enumerated() {
            switch byte {
            case 0x3B, 0x22, 0x0A, 0x0D: return true
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09 where i == 0: return true
            default: continue
            }
        }
        return false
    }

    /// A cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.
    static func cell(_ value: String) -> String {
        var text = value
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
