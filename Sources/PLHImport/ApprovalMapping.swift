import PLHLoad
import PLHModel
import PLHYAML

/// How to read a file of social-housing approvals, which has no fixed public layout: the columns holding
/// the commune, the year (or a date), the product and the number of dwellings, and the segment of each product.
public struct ApprovalMapping: Sendable {
    public var communeColumn: String
    public var yearColumn: String
    public var productColumn: String
    public var dwellingsColumn: String
    /// Product name as written in the file (PLAI, PLUS, PLS…) → segment code, with where it was declared.
    public var products: [(product: String, segment: String, location: SourceLocation)]
    public var delimiter: Character?
    public var encoding: TextEncoding?
    /// The format of the year column when it holds dates: `AAAA-MM-JJ`, `JJ/MM/AAAA` or `AAAA-MM`.
    public var dateFormat: String?
    /// Where each column name was given, for errors about it.
    var columnLocations: [String: SourceLocation] = [:]

    static let dateFormats = ["AAAA-MM-JJ", "JJ/MM/AAAA", "AAAA-MM"]

    /// Reads a mapping file; every error names its line and column.
    public init(path: String) throws(BilanError) {
        let bytes = try readInputFile(path)
        let (text, _) = try CSVDocument.decode(bytes, path: path)
        let yaml = YAMLReader(path: path)
        var d = Diagnostics()
        guard let root = try yaml.root(text),
              let top = yaml.mapping(root, "le fichier de correspondance", known: ["colonnes", "produits", "separateur", "encodage", "date"],
                                     required: ["colonnes", "produits"], &d) else {
            try d.throwIfErrors()
            throw BilanError(.input, at: SourceLocation(path: path), "le fichier de correspondance est vide",
                             hint: "voir l'exemple examples/agrements-correspondance.yaml")
        }
        var columns: [String: String] = [:]
        var locations: [String: SourceLocation] = [:]
        if let node = top["colonnes"], let map = yaml.mapping(node, "« colonnes »", known: ["commune", "annee", "produit", "logements"],
                                                              required: ["commune", "annee", "produit", "logements"], &d) {
            for (key, value) in map.values {
                if let name = yaml.string(value, "colonnes.\(key)", &d) {
                    columns[key] = name
                    locations[key] = yaml.location(value)
                }
            }
        }
        var products: [(String, String, SourceLocation)] = []
        if let node = top["produits"] {
            if let mapping = node.mapping {
                for (keyNode, value) in mapping {
                    let product = keyNode.scalar?.string ?? ""
                    if let segment = yaml.string(value, "produits.\(product)", &d) { products.append((product, segment, yaml.location(value))) }
                }
                if mapping.isEmpty { d.error(at: yaml.location(node), "« produits » : aucun produit") }
            } else {
                d.error(at: yaml.location(node), "« produits » : une liste « PRODUIT: segment » est attendue",
                        hint: "par exemple PLAI: plai")
            }
        }
        var delimiter: Character?
        if let node = top["separateur"], let text = yaml.string(node, "separateur", &d) {
            switch text {
            case ";", ",": delimiter = Character(text)
            case "tab", "tabulation", "\\t": delimiter = "\t"
            default: d.error(at: yaml.location(node), "separateur : « \(text) » inconnu", hint: "écrivez \";\", \",\" ou tabulation")
            }
        }
        var encoding: TextEncoding?
        if let node = top["encodage"], let text = yaml.string(node, "encodage", &d) {
            switch normalisedName(text) {
            case "auto": encoding = nil
            case "utf_8", "utf8": encoding = .utf8
            case "windows_1252", "cp1252", "latin_1", "latin1", "iso_8859_1": encoding = .windows1252
            default: d.error(at: yaml.location(node), "encodage : « \(text) » inconnu", hint: "écrivez auto, utf-8 ou windows-1252")
            }
        }
        var dateFormat: String?
        if let node = top["date"], let text = yaml.string(node, "date", &d) {
            if Self.dateFormats.contains(text.uppercased()) {
                dateFormat = text.uppercased()
            } else {
                d.error(at: yaml.location(node), "date : format « \(text) » inconnu",
                        hint: "écrivez \(Self.dateFormats.joined(separator: ", ")), ou retirez la clé si la colonne donne l'année")
            }
        }
        try d.throwIfErrors()
        communeColumn = columns["commune"]!
        yearColumn = columns["annee"]!
        productColumn = columns["produit"]!
        dwellingsColumn = columns["logements"]!
        self.products = products
        self.delimiter = delimiter
        self.encoding = encoding
        self.dateFormat = dateFormat
        columnLocations = locations
    }

    /// The year of a cell, read as the mapping says.
    func year(_ text: String) -> Int? {
        guard let format = dateFormat else {
            guard text.count == 4, text.allSatisfy(\.isPlainDigit) else { return nil }
            return Int(text)
        }
        let day = text.split(separator: " ").first.map(String.init) ?? text
        switch format {
        case "AAAA-MM-JJ": return day.contains("-") && day.split(separator: "-").count == 3 ? CalendarDate(parsing: day)?.year : nil
        case "JJ/MM/AAAA": return day.contains("/") ? CalendarDate(parsing: day)?.year : nil
        default: return day.split(separator: "-").count == 2 ? yearOfDate(day) : nil
        }
    }
}
