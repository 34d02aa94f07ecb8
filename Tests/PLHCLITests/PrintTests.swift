import Foundation
import PLHBilan
import PLHTestSupport
import Testing
@testable import PLHPackage

/// The text of each page of a PDF, by `pdftotext` (poppler-utils), without blank lines and the page footer.
func pdfPages(_ pdf: URL, layout: Bool = false) throws -> [[String]] {
    let text = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/pdftotext"), (layout ? ["-layout"] : []) + [pdf.path, "-"],
                                   separateErrors: true).output
    // pdftotext ends each page with a form feed.
    return text.components(separatedBy: "\u{0C}").dropLast().map { page in
        page.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Page ") }
    }
}

/// Issue 13, point 2: the printed bilan is paginated as a typographer would, with its table of contents
/// numbered and bookmarks.
@Suite struct PrintTests {
    static let canPrint = (try? PDFPrinter()) != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

    @Test(.enabled(if: canPrint, "Chromium and pdftotext (apt install chromium poppler-utils) are needed"),
          arguments: [TestProject.callExample, TestProject.repositoryRoot.appendingPathComponent("examples/minimal").path])
    func pagesKeepHeadingsWithTheirTextAndTheContentsGivePages(_ example: String) throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = run(["render", example, "--output", out.path, "--pdf"])
        #expect(result.code == 0, "\(result.err)")
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first)
        let pdf = out.appendingPathComponent("\(folder)/bilan.pdf")
        let bytes = try #require(contents(pdf))
        let text = String(decoding: bytes, as: Unicode.ASCII.self)
        #expect(text.contains("/Outlines") && text.contains("/StructTreeRoot"), "bookmarks and a tagged PDF")

        let pages = try pdfPages(pdf)
        #expect(pages.count > 3)
        let html = String(decoding: contents(out.appendingPathComponent("\(folder)/bilan.html")) ?? [], as: UTF8.self)
        let headings = Set(html.matches(of: /<h[2-6][^>]*>(?:<span[^>]*>[^<]*<\/span> )?([^<]+)<\/h[2-6]>/).map { String($0.output.1) })
        #expect(headings.contains("Bilan global"))
        for (index, page) in pages.enumerated() {
            // The header line (« CALL – Bilan triennal… ») is not content.
            let content = index == 0 ? page : Array(page.dropFirst())
            if index < pages.count - 1 {
                #expect(content.count >= 8, "page \(index + 1) holds almost nothing: \(content)")
                // A heading is stranded when it ends the page, or when one line follows it and its text goes on
                // at the top of the next page (whose first line is then no heading).
                let next = pages[index + 1].dropFirst().first ?? ""
                let nextStartsASection = headings.contains(next) || next.hasPrefix("CHAPITRE")
                if let last = content.last, headings.contains(last) {
                    Issue.record("page \(index + 1) ends with the heading « \(last) »")
                } else if content.count >= 2, headings.contains(content[content.count - 2]), !nextStartsASection {
                    Issue.record("page \(index + 1) ends with the heading « \(content[content.count - 2]) » and one line")
                }
            }
        }

        // Each entry of the contents gives the page where its heading is.
        let contentsPage = try pdfPages(pdf, layout: true)[0]
        var checked = 0
        for line in contentsPage {
            guard let match = line.firstMatch(of: /^\d+\. (.+?)\s{2,}(\d+)$/), let page = Int(match.output.2),
                  page >= 1, page <= pages.count else { continue }
            let title = String(match.output.1).components(separatedBy: " : ").last!
            #expect(pages[page - 1].contains { $0.hasPrefix(title.prefix(25)) }, "« \(title) » is not on page \(page)")
            checked += 1
        }
        #expect(checked >= 4, "the contents give pages: \(contentsPage)")
    }

    @Test func anchorsAreReadFromThePageTreeAndTheDestinations() {
        let pdf = """
        %PDF-1.4
        1 0 obj
        <</Type /Pages
        /Count 3
        /Kids [2 0 R 5 0 R]>>
        endobj
        2 0 obj
        <</Type /Pages
        /Count 2
        /Kids [3 0 R 4 0 R]
        /Parent 1 0 R>>
        endobj
        3 0 obj
        <</Type /Page /Parent 2 0 R>>
        endobj
        4 0 obj
        <</Type /Page /Parent 2 0 R>>
        endobj
        5 0 obj
        <</Type /Page /Parent 1 0 R>>
        endobj
        6 0 obj
        <</cadrage [4 0 R /XYZ 0 811.91998 0]
        /annexes [5 0 R /XYZ 0 811.91998 0]>>
        endobj
        7 0 obj
        <</Type /Catalog /Pages 1 0 R /Dests 6 0 R>>
        endobj
        """
        let pages = PDFPrinter.anchorPages(Array(pdf.utf8))
        #expect(pages == ["cadrage": 2, "annexes": 3])
        let html = ##"<nav class="sommaire"><ol><li><a href="#cadrage">Données de cadrage</a></li><li><a href="#x">X</a></li></ol></nav>"##
        #expect(PDFPrinter.numberTableOfContents(html, pages: pages)
            == ##"<nav class="sommaire"><ol><li><a href="#cadrage">Données de cadrage<span class="page-sommaire">2</span></a></li><li><a href="#x">X</a></li></ol></nav>"##)
        #expect(PDFPrinter.numberTableOfContents("<p>sans sommaire</p>", pages: pages) == "<p>sans sommaire</p>")
        #expect(PDFPrinter.anchorPages(Array("not a pdf".utf8)).isEmpty)
    }
}
