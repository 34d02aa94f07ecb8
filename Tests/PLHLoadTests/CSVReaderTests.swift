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

/// A reader that needs few columns of a wide file has the others left as stand-ins, never as blanks.
@Suite struct CSVFieldFilterTests {
    func stream(_ text: String, keep: [Bool]) throws -> [CSVRecord] {
        let filter = CSVFieldFilter()
        var records: [CSVRecord] = []
        _ = try CSVDocument.stream(bytes: Array(text.utf8), path: "f.csv", delimiter: ";", keeping: filter) { record throws(BilanError) in
            if filter.kept == nil { filter.kept = keep }
            records.append(record)
        }
        return records
    }

    @Test func leftOutFieldsAreStandInsAndBlanksStayBlank() throws {
        let records = try stream("a;b;c;d\n1;deux;\"trois; et\";4\n;;  ; \n;x;;\n5;\u{A0};é;6\n", keep: [true, false, false, true])
        #expect(records[0].fields == ["a", "b", "c", "d"], "the header is whole")
        #expect(records[1].fields == ["1", CSVFieldFilter.standIn, CSVFieldFilter.standIn, "4"])
        #expect(records[1].columns == [1, 3, 8, 20], "columns are counted as before")
        #expect(records[2].fields == ["", "", "  ", " "], "white space is kept as it is: blank")
        #expect(records[3].fields == ["", CSVFieldFilter.standIn, "", ""], "not blank: the row is not skipped as blank")
        #expect(records[4].fields == ["5", "\u{A0}", "é", "6"], "a field that starts outside ASCII is read: it may be white space")
        var diagnostics = Diagnostics()
        let table = CSVTable(header: records[0], path: "f.csv", delimiter: ";", required: ["a", "d"], ignoresOthers: true,
                             diagnostics: &diagnostics)
        #expect(table.row(records[2], diagnostics: &diagnostics) == nil, "a blank row stays blank")
        #expect(table.row(records[3], diagnostics: &diagnostics) != nil, "a row with only a left-out field is a row")
    }

    @Test func withoutAFilterEveryFieldIsRead() throws {
        let text = "a;b\nun;deux\n"
        let filtered = try stream(text, keep: [true, true])
        #expect(filtered.map(\.fields) == (try CSVDocument(bytes: Array(text.utf8), path: "f.csv")).records.map(\.fields))
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
