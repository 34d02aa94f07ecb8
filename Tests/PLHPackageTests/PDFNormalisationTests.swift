import PLHModel
import Testing
@testable import PLHPackage

@Suite struct PDFNormalisationTests {
    @Test func datesAndTemporaryLinksAreReplacedInPlace() {
        let folder = "file:///tmp/plh-bilan-pdf-1234/"
        let pdf = Array("""
        %PDF-1.4
        /CreationDate (D:20261123052730+00'00')
        /ModDate (D:20261123052731+00'00')>>
        /URI (file:///tmp/plh-bilan-pdf-1234/annexes/a.csv)>>
        xref 0 1
        """.utf8)
        let time = FixedTime(bilanDate: CalendarDate(year: 2019, month: 6, day: 25)!, environment: [:])
        let out = PDFPrinter.normalise(pdf, folder: folder, time: time)
        #expect(out.count == pdf.count, "byte offsets are kept")
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains("/CreationDate (D:20190625120000+00'00')"))
        #expect(text.contains("/ModDate (D:20190625120000+00'00')"))
        #expect(text.contains("/URI (annexes/a.csv)" + String(repeating: " ", count: folder.count) + ">>"))
        #expect(!text.contains("/tmp/"))
    }

    @Test func sourceDateEpochWins() {
        let date = CalendarDate(year: 2019, month: 6, day: 25)!
        let time = FixedTime(bilanDate: date, environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(time.digits == "20231114221320")
        #expect(FixedTime(bilanDate: date, environment: [:]).digits == "20190625120000")
        #expect(FixedTime(bilanDate: date, environment: [:]).date.timeIntervalSince1970 == 1561464000)
    }
}
