import Foundation
import PLHBase
import PLHModel
import Testing
@testable import PLHRender

@Suite struct FrenchTests {
    @Test func integersAreGroupedByThree() {
        #expect(French.integer(0) == "0")
        #expect(French.integer(999) == "999")
        #expect(French.integer(1310) == "1\u{202F}310")
        #expect(French.integer(242_386) == "242\u{202F}386")
        #expect(French.integer(1_000_000) == "1\u{202F}000\u{202F}000")
        #expect(French.integer(-1310) == "−1\u{202F}310")
        #expect(French.integer(-7) == "−7")
        #expect(French.integer(Int.min) == "−9\u{202F}223\u{202F}372\u{202F}036\u{202F}854\u{202F}775\u{202F}808")
    }

    @Test func chartCoordinatesPrintLikeDoubles() {
        // The SVG writer's own formatting must print what `String(Double)` prints for a value rounded to a tenth.
        for value in [0, -0.04, 0.05, -0.05, 12, 12.25, -12.25, 190.0 + 460 * 0.3333, 1e9 + 0.55, 649.99, 720] {
            let rounded = (value * 10).rounded() / 10
            let expected = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
            #expect(SVG.n(value) == expected, "\(value)")
        }
    }

    @Test func numbersUseADecimalCommaAndDropTrailingZeros() {
        #expect(French.number(62.5) == "62,5")
        #expect(French.number(1140) == "1\u{202F}140")
        #expect(French.number(253.3333) == "253,3")
        #expect(French.number(0.05) == "0,1")
        #expect(French.number(-0.04) == "0")
    }

    @Test func percents() {
        #expect(French.percent(1.0 / 3) == "33\u{A0}%")
        #expect(French.percent(0.5) == "50\u{A0}%")
        #expect(French.percent(1.125) == "113\u{A0}%")
        #expect(French.percent(0.0) == "0\u{A0}%")
        #expect(French.percent(-0.25) == "−25\u{A0}%")
    }

    @Test func plainNumbersForSpreadsheets() {
        #expect(French.plainNumber(100.0 / 3) == "33,3")
        #expect(French.plainNumber(1310) == "1310")
        #expect(French.plainNumber(-12.25) == "-12,3")
        #expect(French.plainNumber(0) == "0")
        // More decimals: zeros on the left of the digits kept, on the right dropped.
        #expect(French.plainNumber(0.05, decimals: 2) == "0,05")
        #expect(French.plainNumber(1.5, decimals: 2) == "1,5")
        #expect(French.plainNumber(2, decimals: 3) == "2")
        #expect(French.plainNumber(0.007, decimals: 3) == "0,007")
        #expect(French.plainNumber(10.204, decimals: 3) == "10,204")
        #expect(French.plainNumber(-0.04, decimals: 1) == "0", "rounded to nothing: no minus sign")
        #expect(French.plainNumber(-0.06, decimals: 1) == "-0,1")
        #expect(French.plainNumber(7.96, decimals: 1) == "8")
    }

    @Test func dates() {
        #expect(French.date(CalendarDate(year: 2019, month: 6, day: 25)!) == "25 juin 2019")
        #expect(French.date(CalendarDate(year: 2020, month: 1, day: 1)!) == "1er janvier 2020")
        #expect(French.date(CalendarDate(year: 2014, month: 12, day: 15)!) == "15 décembre 2014")
    }

    @Test func typographyKeepsSignsWithTheirWord() {
        #expect(French.typography("marché ; et : « oui » ? non !") == "marché\u{202F}; et\u{A0}: «\u{A0}oui\u{A0}» ?".replacingOccurrences(of: " ?", with: "\u{202F}?") + " non\u{202F}!")
        #expect(French.typography("http://x.fr a:b") == "http://x.fr a:b")
    }

    @Test func typographyOfNumbersAndApostrophes() {
        let nnbsp = "\u{202F}", nbsp = "\u{A0}"
        #expect(French.typography("1 310 logements") == "1\(nnbsp)310 logements")
        #expect(French.typography("3 000 000 €") == "3\(nnbsp)000\(nnbsp)000\(nbsp)€")
        #expect(French.typography("25 %") == "25\(nbsp)%")
        #expect(French.typography("1234 567 et 12 3456") == "1234 567 et 12 3456", "not thousands groups")
        #expect(French.typography("l'accession d'aujourd'hui, l'été") == "l’accession d’aujourd’hui, l’été")
        #expect(French.typography("é'à 'x' l'") == "é’à 'x' l'", "only between two letters, accented ones too")
        #expect(French.typography("« x »") == "«\(nbsp)x\(nbsp)»")
        #expect(French.typography("fin ") == "fin ")
        // Texts the first scan lets through but that need no change come back as they are; changes at the very start
        // and end, and several in a row, keep every byte around them.
        for unchanged in ["12 communes", "2020 et 2025", "du 1er au 31 mars", "Pas-de-Calais 62 \u{A0}x", "a \u{A0}b", "'x'", "l'"] {
            #expect(French.typography(unchanged) == unchanged, "\(unchanged)")
        }
        #expect(French.typography(" ; x") == "\(nnbsp); x")
        #expect(French.typography("x ;") == "x\(nnbsp);")
        #expect(French.typography("12 communes ; 1 310 logements, 25 % d'entre eux !") ==
                "12 communes\(nnbsp); 1\(nnbsp)310 logements, 25\(nbsp)% d’entre eux\(nnbsp)!")
        #expect(French.typography("Œuvre d'Ève et d'Ølaf : « ok »") == "Œuvre d’Ève et d’Ølaf\(nbsp): «\(nbsp)ok\(nbsp)»")
        for text in ["12 communes ; 1 310 logements", "l'été : « a »", "3 000 €"] {
            #expect(French.typography(French.typography(text)) == French.typography(text), "applied twice, \(text)")
        }
    }

    @Test func listsAndPlurals() {
        #expect(French.list(["Lens"]) == "Lens")
        #expect(French.list(["Lens", "Liévin"]) == "Lens et Liévin")
        #expect(French.list(["a", "b", "c"]) == "a, b et c")
        #expect(French.count(1, "commune") == "1 commune")
        #expect(French.count(0, "an") == "0 an")
        #expect(French.count(36, "commune") == "36 communes")
    }
}

@Suite struct MarkdownTests {
    @Test func rendersCommonMark() {
        #expect(Markdown.html("Un *texte* et une liste :\n\n- un\n- deux\n") ==
            "<p>Un <em>texte</em> et une liste\u{A0}:</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n")
    }

    @Test func rawHTMLAndJavascriptLinksAreRemoved() {
        let html = Markdown.html("<script>alert(1)</script>\n\n[lien](javascript:alert(1)) <img src=x onerror=alert(1)>\n")
        #expect(!html.contains("<script"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("<img"))
        #expect(html.contains("<a href=\"\">lien</a>"))
    }

    @Test func rawHTMLOnlyWhenAllowed() {
        #expect(Markdown.html("<b>gras</b>\n", allowRawHTML: true).contains("<b>gras</b>"))
    }

    @Test func frenchSpacingInTextButNotInCode() {
        #expect(Markdown.html("Constat : `a ; b`\n") == "<p>Constat\u{A0}: <code>a ; b</code></p>\n")
    }

    @Test func headingsAreShiftedAndCapped() {
        #expect(Markdown.html("# Titre\n", headingOffset: 3) == "<h4>Titre</h4>\n")
        #expect(Markdown.html("#### Titre\n", headingOffset: 3) == "<h6>Titre</h6>\n")
        var omissions: [Markdown.Omission] = []
        #expect(Markdown.html("## Constats\n\n### Détail\n", topHeading: 4, omissions: &omissions) == "<h4>Constats</h4>\n<h5>Détail</h5>\n")
    }
}

/// `replacingBytes` (a chart's SVG bytes): the same result as Foundation's literal replacement, without NSString.
@Suite struct TextReplacementTests {
    @Test func agreesWithFoundation() {
        let cases: [(String, String, String)] = [
            ("<g id=\"graphique-1-barres\"><use href=\"#graphique-1-hachures\"/>", "graphique-1-", "graphique-1-o2-"),
            ("aaaa", "aa", "b"), ("Liévin–Lens é", "é", "e"), ("rien à changer", "xyz", "q"), ("", "a", "b"),
            ("fin-", "-", ""), ("--", "-", "--"),
        ]
        for (text, target, replacement) in cases {
            #expect(Array(text.utf8).replacingBytes(target, with: replacement) == Array(text.replacingOccurrences(of: target, with: replacement).utf8),
                    "\(text) / \(target)")
        }
        #expect(Array("abc".utf8).replacingBytes("", with: "x") == Array("abc".utf8))
    }
}
