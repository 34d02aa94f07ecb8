import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

/// What a narrative or an input name may not bring into the bilan: network calls, raw HTML without a word,
/// control characters; and figures expanded in linear time.
@Suite struct NarrativeSafetyTests {
    static func project(narrative: String? = nil, rawHTML: Bool = false) throws -> Project {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        var project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        if let narrative {
            project.orientations[0].globalNarrative = Narrative(path: "global.md", displayPath: "projet/global.md", markdown: narrative)
        }
        project.allowsRawHTML = rawHTML
        return project
    }

    static func render(_ project: Project) throws -> RenderedBilan {
        try BilanRenderer(templates: TemplateSet(overrides: [])).render(project: project, achievement: Achievement(project: project))
    }

    /// Issue 11, defect 21: expansion appended to a `String.UnicodeScalarView`, which copies the whole text at
    /// each call: a 20 MB narrative with tags took 502 s. A 2 MB narrative with 50 000 tags must come out
    /// right (and now does in a fraction of a second; timings are in scripts/benchmark-narrative.sh).
    @Test func largeNarrativeWithManyTagsExpandsToTheRightText() {
        let figures = NarrativeFigures(names: [("EPCI.ensemble.production", "1\u{202F}310"), ("EPCI.ensemble.taux_plan", "45\u{A0}%")])
        let chunk = "Élan « {{EPCI.ensemble.production}} » logements, soit {{EPCI.ensemble.taux_plan}} du plan ; été.\n"
        let markdown = String(repeating: chunk, count: 25_000)
        #expect(markdown.utf8.count > 2_000_000)
        var errors: [Diagnostic] = []
        let expanded = figures.expand(Narrative(path: "global.md", markdown: markdown), errors: &errors)
        #expect(errors.isEmpty)
        let expected = markdown.replacingOccurrences(of: "{{EPCI.ensemble.production}}", with: "1\u{202F}310")
            .replacingOccurrences(of: "{{EPCI.ensemble.taux_plan}}", with: "45\u{A0}%")
        #expect(expanded == expected)
        // Slices are cut at scalars, even where a combining accent follows a tag.
        let combining = figures.expand(Narrative(path: "a.md", markdown: "e\u{301}{{EPCI.ensemble.production}}\u{301}x{{! note }}"),
                                       errors: &errors)
        #expect(Array(combining.unicodeScalars) == Array("e\u{301}1\u{202F}310\u{301}x".unicodeScalars))
    }

    /// Issue 11, defect 22: `![](https://tracker…/pixel.png)` became `<img src="https://…">`, a network call from
    /// a document that promises none. Remote images are dropped with a located warning; data: images stay.
    @Test func remoteImagesAreDroppedWithALocatedWarning() throws {
        let project = try Self.project(narrative: """
            Premier paragraphe.

            Voir ![pixel](https://tracker.example/pixel.png) et ![](//cdn.example/x.png).

            ![plan](data:image/png;base64,iVBORw0KGgo=) et ![local](plan.png)
            """)
        let bilan = try Self.render(project)
        #expect(!bilan.html.contains("tracker.example") && !bilan.html.contains("cdn.example"))
        #expect(bilan.html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"plan\" />"))
        #expect(bilan.warnings.map(\.description) == ["""
            projet/global.md:3: avertissement : image distante retirée du récit : « https://tracker.example/pixel.png », \
            « //cdn.example/x.png » (le bilan ne fait aucun appel réseau)
              → intégrez l'image dans le récit sous forme d'adresse data:image/…;base64, ou retirez-la
            """])
    }

    @Test func remoteAddresses() {
        for url in ["https://a.example/p.png", "HTTP://a", "//a.example/p.png", "\\\\a\\p.png", "/\\a.example", "ftp://a", " https://a"] {
            #expect(Markdown.isRemote(url), "\(url)")
        }
        for url in ["data:image/png;base64,AAAA", "DATA:image/gif;base64,R0", "plan.png", "images/plan.png", "/plan.png", "a/b:c.png", ""] {
            #expect(!Markdown.isRemote(url), "\(url)")
        }
    }

    /// Issue 11, defect 22: the bilan and the synthesis page forbid every load but inline styles and data: images.
    @Test func documentsHaveAContentSecurityPolicy() throws {
        let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'\">"
        let html = try Self.render(Self.project()).html
        #expect(html.contains(csp))
        #expect(html.contains("<style>") && html.contains("<svg"), "inline styles and SVG charts stay inline")
        let sources = try TemplateSet(overrides: []).sources
        for document in TemplateSet.documents {
            #expect(sources[document.name]?.text.contains(csp) == true, "\(document.name)")
        }
    }

    /// Issue 11, defect 23: raw HTML dropped by safe mode (`<b>`, `<br>`) gave no warning.
    @Test func droppedRawHTMLIsALocatedWarning() throws {
        let narrative = "Un texte <b>gras</b>.\n\nAutre ligne<br>\n\n<div class=\"x\">bloc</div>\n\n<!-- consigne -->\n"
        let bilan = try Self.render(Self.project(narrative: narrative))
        #expect(bilan.warnings.map { "\($0.location!.description) \($0.message)" } == [
            "projet/global.md:1 HTML brut ignoré dans le récit : « <b> », « </b> »",
            "projet/global.md:3 HTML brut ignoré dans le récit : « <br> »",
            "projet/global.md:5 HTML brut ignoré dans le récit : « <div class=\"x\">bloc</div> »",
        ])
        #expect(bilan.warnings.allSatisfy { $0.severity == .warning && $0.hint?.contains("html_brut") == true })
        // Many lines: ten warnings, then a count; many items on a line: five quoted, then a count.
        let many = String(repeating: "a<br>\n\n", count: 12) + String(repeating: "<i>", count: 7) + "\n"
        let capped = try Self.render(Self.project(narrative: many)).warnings
        #expect(capped.count == 11)
        #expect(capped[10].message == "3 autres lignes du récit avec du HTML brut ou une image distante retirés")
        #expect(capped[9].message.hasSuffix("« <br> »"))
        let items = try Self.render(Self.project(narrative: String(repeating: "<i>", count: 7) + "\n")).warnings
        #expect(items.map(\.message) == ["HTML brut ignoré dans le récit : « <i> », « <i> », « <i> », « <i> », « <i> » et 2 autres"])
        // Allowed by the project: kept, and nothing to say.
        let raw = try Self.render(Self.project(narrative: narrative, rawHTML: true))
        #expect(raw.warnings.isEmpty)
        #expect(raw.html.contains("<b>gras</b>"))
    }

    static let hostile = "Lens\u{1B}[2J\u{1B}]0;titre\u{07}\u{9B}31m\u{7F}\u{0}-Liévin\r"

    /// Issue 11, defect 22: control characters and terminal escape sequences from input names reached the
    /// HTML and the CSV annexes raw.
    @Test func controlCharactersOfNamesReachNeitherTheHTMLNorTheAnnexes() throws {
        var project = try Self.project()
        project.epci.name = "CA de " + Self.hostile
        project.communes[0].name = Self.hostile
        project.categories[0].label = "Pôle\u{1B}[31m urbain"
        let bilan = try Self.render(project)
        for scalar in ["\u{1B}", "\u{07}", "\u{9B}", "\u{7F}", "\u{0}", "\r"] {
            #expect(!bilan.html.contains(scalar), "\(scalar.unicodeScalars.first!.value)")
        }
        #expect(bilan.html.contains("CA de Lens31m-Liévin"))
        #expect(bilan.html.contains("Pôle urbain"))
        // The charts' SVG reaches the document as bytes (TemplateValue.htmlBytes): cleaned all the same.
        #expect(bilan.html.components(separatedBy: "<svg").dropFirst().contains { $0.contains(">Pôle urbain</text>") })
        // The workbook is a ZIP: WorkbookTests checks its sheets' text.
        for annex in bilan.annexes where annex.path.hasSuffix(".csv") {
            let text = String(decoding: annex.bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            #expect(!text.containsControlCharacters && !text.contains("\r"), "\(annex.path)")
        }
        let communes = try #require(bilan.annexes.first { $0.path == "annexes/realisation-communes.csv" })
        #expect(String(decoding: communes.bytes, as: UTF8.self).contains(";Lens31m-Liévin;"))
    }

    @Test func controlCharactersAndEscapeSequencesAreRemoved() {
        #expect("a\u{1B}[1;31mb\u{1B}]0;t\u{07}c\u{1B}]0;t\u{1B}\\d\u{85}e\u{7F}f\tg\nh\r\u{1B}".withoutControlCharacters == "abcdef\tg\nh")
        #expect("\u{1B}cé\u{1B}7«".withoutControlCharacters == "é«")
        let plain = "Lens-Liévin « 1\u{202F}310 » ; \t\n"
        #expect(!plain.containsControlCharacters && plain.withoutControlCharacters == plain)
    }

    /// The scan reads eight bytes at a time: a control character is found wherever it falls, at the start, the end
    /// or across two words (a C1 control is two bytes), and printable text around it, accents included, is not one.
    @Test(arguments: ["\u{01}", "\u{08}", "\u{0D}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"])
    func aControlCharacterIsFoundAtAnyPlace(_ control: String) {
        for length in [1, 7, 8, 9, 16, 23] {
            for position in 0...length {
                let text = String(repeating: "a", count: position) + control + String(repeating: "é", count: (length - position + 1) / 2)
                #expect(text.containsControlCharacters, "\(control.unicodeScalars.first!.value) at \(position) of \(length)")
                #expect(!text.withoutControlCharacters.containsControlCharacters)
            }
        }
        for clean in ["", "\t\n", String(repeating: "Béthune « 1\u{202F}310 » \u{A0}; ", count: 5), String(repeating: "~", count: 64)] {
            #expect(!clean.containsControlCharacters, "\(clean)")
        }
    }

    /// Issue 11, defect 22: names quoted in diagnostics reached stderr raw.
    @Test func diagnosticsPrintNoControlCharacter() {
        let d = Diagnostic(at: SourceLocation(path: "communes\u{1B}]0;x\u{07}.csv", line: 2, column: 3),
                           "commune « \(Self.hostile) » inconnue", hint: "vérifiez\u{1B}[8m le code")
        #expect(d.description == "communes.csv:2:3: erreur : commune « Lens31m-Liévin » inconnue\n  → vérifiez le code")
    }
}
