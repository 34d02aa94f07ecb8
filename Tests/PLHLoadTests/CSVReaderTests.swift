@testable import PLHModel
import Testing
@testable import PLHLoad

@Suite struct CSVReaderTests {
    func read(_ text: String, delimiter: Character? = nil) throws -> CSVDocument {
        try CSVDocument(bytes: Array(text.utf8), path: "f.csv", delimiter: delimiter)
    }

    func failure(_ bytes: [UInt8]) -> Diagnostic? {
        do {
            _ = try CSVDocument(bytes: bytes, path: "f.csv")
            return nil
        } catch {
            return error.diagnostics.first
        }
    }

    @Test func detectsSemicolonCommaAndTab() throws {
        #expect(try read("a;b,c\n1;2,3\n").delimiter == ";")
        #expect(try read("a,b\n1,2\n").delimiter == ",")
        #expect(try read("a\tb\n1\t2\n").delimiter == "\t")
        #expect(try read("a,b\n1,2\n").records[1].fields == ["1", "2"])
    }

    @Test func quotedFieldsKeepSeparatorsQuotesAndNewlines() throws {
        let doc = try read("nom;note\n\"Dupont; Jean\";\"dit \"\"Jo\"\"\nsur deux lignes\"\nx;y\n")
        #expect(doc.records.count == 3)
        #expect(doc.records[1].fields == ["Dupont; Jean", "dit \"Jo\"\nsur deux lignes"])
        #expect(doc.records[2].line == 4)
    }

    @Test func crlfBlankLinesAndColumns() throws {
        let doc = try read("a;b\r\n\r\n1;22;3\r\n\r\n")
        #expect(doc.records.count == 2)
        #expect(doc.records[1].line == 3)
        #expect(doc.records[1].columns == [1, 3, 6])
    }

    @Test func byteOrderMarkIsDropped() throws {
        let doc = try CSVDocument(bytes: [0xEF, 0xBB, 0xBF] + Array("code;nom\n".utf8), path: "f.csv")
        #expect(doc.encoding == .utf8BOM)
        #expect(doc.records[0].fields == ["code", "nom"])
    }

    @Test func windows1252IsDecoded() throws {
        // "Liévin;€" in Windows-1252: é = 0xE9, € = 0x80.
        let bytes: [UInt8] = Array("Li".utf8) + [0xE9] + Array("vin;".utf8) + [0x80] + [0x0A]
        let doc = try CSVDocument(bytes: bytes, path: "f.csv")
        #expect(doc.encoding == .windows1252)
        #expect(doc.records[0].fields == ["Liévin", "€"])
    }

    @Test func unclosedQuoteNamesWhereItOpened() throws {
        let d = try #require(failure(Array("a;b\n1;\"2\n3;4\n".utf8)))
        #expect(d.location == SourceLocation(path: "f.csv", line: 2, column: 3))
        #expect(d.message.contains("jamais refermé"))
    }

    @Test func textAfterClosingQuoteIsRefused() throws {
        let d = try #require(failure(Array("a;b\n\"x\"y;2\n".utf8)))
        #expect(d.location == SourceLocation(path: "f.csv", line: 2, column: 4))
    }

    @Test func undefinedWindows1252ByteIsRefused() throws {
        let d = try #require(failure([0x61, 0x81, 0x0A]))
        #expect(d.message.contains("0x81"))
    }
}

@Suite struct NormalisedNameTests {
    @Test func theASCIIPathFoldsLikeFoundation() {
        let names = ["Code_INSEE", "  code insee ", "an", "PLAN", "par-an", "l'Abergement", "a_-b", "a__b", "_x_", "___", "",
                     "...", "Saint-Étienne", "Sainte-Marie.", "x.y-z'w", "Objectif annuel", "tab\there", "12 rue"]
        for name in names {
            #expect(normalisedName(name) == foldedName(name), "« \(name) »")
        }
        #expect(normalisedName("Code INSEE") == "code_insee")
        #expect(normalisedName("Fouquières-lès-Lens") == "fouquieres_les_lens")
    }

    @Test func theLatinTableFoldsLikeFoundation() {
        // Every scalar of U+00C0…U+00FF, alone and within a name, and letters the table leaves to Foundation.
        var names = (0xC0...0xFF).map { String(Unicode.Scalar(UInt8($0))) }
        names += (0xC0...0xFF).map { "Lès-\(Unicode.Scalar(UInt8($0)))-Saint’Œuf" }
        names += ["Hénin-Beaumont", "L’Haÿ-les-Roses", "Œuilly", "Straße", "Ærøskøbing", "ÉCOUEN", "Saint-Léger–d’Ars", "Ελλάδα",
                  "e\u{301}cole", "café ’", "’’’"]
        for name in names {
            #expect(normalisedName(name) == foldedName(name), "« \(name) »")
        }
    }
}
