import Foundation
import PLHCompute
import PLHLoad
import PLHTestSupport
import PLHModel
import Testing
@testable import PLHRender

/// The default templates, with `changes` applied (name → text).
func templates(_ changes: [String: String]) throws(BilanError) -> TemplateSet {
    var sources = try TemplateSet(overrides: []).sources
    for (name, text) in changes {
        sources[name] = TemplateSet.Source(name: name, text: text, displayPath: "gabarits/\(name).mustache")
    }
    return try TemplateSet(sources: sources)
}

func templateErrors(_ changes: [String: String]) -> [Diagnostic] {
    do {
        _ = try templates(changes)
        return []
    } catch {
        #expect(error.kind == .template)
        return error.diagnostics
    }
}

@Suite struct TemplateSetTests {
    @Test func defaultTemplatesPassTheCheck() throws {
        let set = try TemplateSet(overrides: [])
        // A run trusts the shipped templates; this is where they are parsed by swift-mustache and checked in full.
        _ = try TemplateSet(sources: set.sources, shipped: [])
        #expect(set.sources.keys.sorted() == ["annexes", "bilan", "cadrage", "constats", "couverture", "graphique", "orientation", "styles", "synthese",
                                            "synthese-entete", "synthese-groupe", "synthese-ligne", "tableau"])
    }

    @Test func unknownNameIsAnErrorWithLocationAndSuggestion() throws {
        let errors = templateErrors(["couverture": "<p>\n  {{epci.nom}} {{bilan.dat}}</p>"])
        #expect(errors.count == 1)
        let d = try #require(errors.first)
        #expect(d.location == SourceLocation(path: "gabarits/couverture.mustache", line: 2, column: 16))
        #expect(d.message.contains("« dat » n'existe pas dans « bilan »"))
        #expect(d.hint?.contains("« date »") == true)
    }

    @Test func namesAreCheckedInsideListsEvenWhenEmpty() throws {
        // jalons may be empty in a project: the typo must still be caught.
        let errors = templateErrors(["cadrage": "{{#jalons}}{{libele}}{{/jalons}}"])
        let d = try #require(errors.first)
        #expect(d.message.contains("« libele » inconnu"))
        #expect(d.message.contains("inclus depuis « bilan »"))
        #expect(d.hint == "vouliez-vous dire « libelle » ?")
    }

    @Test func outerNamesAreVisibleInsideSections() {
        #expect(templateErrors(["cadrage": "{{#categories}}{{libelle}} {{epci.nom}} {{bilan.date}}{{/categories}}"]).isEmpty)
    }

    @Test func escapingMustMatchTheKindOfValue() throws {
        let textUnescaped = templateErrors(["couverture": "{{{epci.nom}}}"])
        #expect(textUnescaped.first?.hint == "écrivez {{epci.nom}}")
        let htmlEscaped = templateErrors(["orientation": "{{recit_global}}"])
        #expect(htmlEscaped.first?.hint == "écrivez {{{recit_global}}}")
        let listAsText = templateErrors(["cadrage": "{{categories}}"])
        #expect(listAsText.first?.message.contains("liste") == true)
    }

    @Test func missingPartial() throws {
        let d = try #require(templateErrors(["cadrage": "{{>tablau}}"]).first)
        #expect(d.message.contains("« tablau » introuvable"))
        #expect(d.hint == "vouliez-vous dire « tableau » ?")
    }

    /// Issue 11, defect 15: a template including itself twice made rendering double at each level (429 MB
    /// after 60 s, `check` hung too), and a single self-include dropped the cover silently. Before the fix
    /// the set was accepted and no error was reported.
    @Test func selfIncludedPartialIsALocatedTemplateError() throws {
        let twice = templateErrors(["couverture": "X{{> couverture}}{{> couverture}}"])
        #expect(twice.count == 2)
        let first = try #require(twice.first)
        #expect(first.location == SourceLocation(path: "gabarits/couverture.mustache", line: 1, column: 2))
        #expect(twice.last?.location?.column == 18)
        #expect(first.message.contains("« couverture » inclus dans lui-même : couverture → couverture"))
        let once = try #require(templateErrors(["couverture": "<p>\n{{>couverture}}</p>"]).first)
        #expect(once.location == SourceLocation(path: "gabarits/couverture.mustache", line: 2, column: 1))
    }

    /// Issue 11, defect 15: a cycle through another partial is found too, located at the include that closes it.
    @Test func cycleThroughAnotherPartialNamesItsPath() throws {
        let errors = templateErrors(["couverture": "<header>{{>entete}}</header>", "entete": "<h1>{{epci.nom}}</h1>\n  {{> couverture }}"])
        #expect(errors.count == 1)
        let d = try #require(errors.first)
        #expect(d.location == SourceLocation(path: "gabarits/entete.mustache", line: 2, column: 3))
        #expect(d.message.contains("couverture → entete → couverture"))
        // Including the same partial twice, without a cycle, stays allowed.
        #expect(templateErrors(["couverture": "{{>entete}}{{>entete}}", "entete": "<h1>{{epci.nom}}</h1>"]).isEmpty)
    }

    @Test func syntaxErrorHasLineAndColumn() throws {
        let d = try #require(templateErrors(["couverture": "<p>\n{{#epci}}\n{{nom}}\n</p>"]).first)
        #expect(d.location?.path == "gabarits/couverture.mustache")
        #expect(d.location?.line != nil)
        #expect(d.message.contains("jamais refermée"))
    }

    @Test func unsupportedFeaturesAreRefused() {
        #expect(templateErrors(["couverture": "{{=<% %>=}}"]).first?.message.contains("délimiteurs") == true)
    }

    @Test func commentsAreIgnored() {
        #expect(templateErrors(["couverture": "{{! {{nimporte}} }}<p>{{epci.nom}}</p>"]).isEmpty)
    }
}

/// The compiled renderer and swift-mustache give the same bytes.
@Suite struct CompiledRendererTests {
    func both(_ changes: [String: String], _ value: TemplateValue) throws -> (String, String?) {
        let set = try templates(changes)
        return (try set.render(value), set.renderWithSwiftMustache(value))
    }

    @Test func theDocumentsAreIdentical() throws {
        let folder = try TestProject.mini()
        defer { folder.remove() }
        for path in [folder.path, TestProject.callExample] {
            let project = try ProjectLoader(folder: ProjectFolder(path)).load().project
            var model = ViewModel(project: project, achievement: Achievement(project: project))
            let value = try model.value()
            let set = try TemplateSet(overrides: [])
            let compiled = try set.render(value)
            #expect(compiled == set.renderWithSwiftMustache(value), "\(path)")
        }
    }

    @Test func standaloneLinesIndentedPartialsAndInvertedSections() throws {
        let set = try TemplateSet(overrides: [])
        var sources = set.sources
        func add(_ name: String, _ text: String) {
            sources[name] = TemplateSet.Source(name: name, text: text, displayPath: name)
        }
        add("couverture", """
        <ul>
          {{#jalons}}
          <li>{{libelle}} &amp; {{date}}</li>
          {{/jalons}}
          {{^jalons}}
          <li>aucun</li>
          {{/jalons}}
            {{>piece}}
        </ul> {{! commentaire }}
        <p>{{epci.nom}}{{#a_jalons}} – oui{{/a_jalons}}{{^a_jalons}} – non{{/a_jalons}}</p>

        """)
        add("piece", "<i>\n{{epci.siren}}\n</i>\n")
        let custom = try TemplateSet(sources: sources)
        let folder = try TestProject.mini()
        defer { folder.remove() }
        var project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        project.epci.name = "L'EPCI <test> & \"autres\""
        for milestones in [[], [Milestone(date: CalendarDate(year: 2020, month: 1, day: 1)!, label: "Adoption « A »")]] {
            project.milestones = milestones
            var model = ViewModel(project: project, achievement: Achievement(project: project))
            let value = try model.value()
            let compiled = try custom.render(value)
            #expect(compiled == custom.renderWithSwiftMustache(value))
        }
    }
}

extension CompiledRendererTests {
    /// Bytes out as the String renderer gave them: the five escaped characters anywhere in a name with accents,
    /// an indented partial whose lines end in LF or CR LF, with an empty line and accented text. A line after
    /// CR LF is not indented (CR LF is one character, as Swift counts them, and swift-mustache does the same); an
    /// empty line stays empty, where swift-mustache would leave the indentation's blanks on it.
    @Test func escapingAndIndentationByteForByte() throws {
        let set = try TemplateSet(overrides: [])
        var sources = set.sources
        func add(_ name: String, _ text: String) {
            sources[name] = TemplateSet.Source(name: name, text: text, displayPath: name)
        }
        add("couverture", "<ul>\n  {{>piece}}\n</ul>\n<p>{{epci.nom}}</p>")
        add("piece", "<li>é{{epci.siren}}</li>\r\n<li>ü</li>\n\n<li>{{epci.nom}}</li>\n")
        let custom = try TemplateSet(sources: sources)
        let folder = try TestProject.mini()
        defer { folder.remove() }
        var project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        project.epci.name = "&É<t>\"'\u{2019}"
        var model = ViewModel(project: project, achievement: Achievement(project: project))
        let value = try model.value()
        let compiled = try custom.render(value)
        let escaped = "&amp;É&lt;t&gt;&quot;&#39;\u{2019}"
        let expected = "\n<ul>\n  <li>é\(project.epci.siren)</li>\r\n<li>ü</li>\n\n  <li>\(escaped)</li>\n</ul>\n<p>\(escaped)</p>"
        #expect(compiled.contains(expected))
        #expect(try custom.renderBytes(value) == Array(compiled.utf8))
        let mustache = try #require(custom.renderWithSwiftMustache(value))
        #expect(mustache.contains(expected.replacingOccurrences(of: "\n\n  <li>", with: "\n  \n  <li>")))
    }
}

/// How a folder of templates is read: links followed only when they stay inside it, UTF-8 required.
@Suite struct TemplateFolderTests {
    @Test func aLinkInsideTheFolderIsReadAndOneLeadingOutsideIsRefused() throws {
        let project = try TestProject([:])
        defer { project.remove() }
        let defaults = try TemplateSet(overrides: []).sources
        let cover = try #require(defaults["couverture"]).text
        try project.write("gabarits/originaux/couverture.mustache", cover + "<!-- lien -->")
        let folder = project.root.appendingPathComponent("gabarits")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/couverture.mustache", withDestinationPath: "originaux/couverture.mustache")
        let set = try TemplateSet(overrides: [(folder, "gabarits")])
        #expect(set.sources["couverture"]?.text == cover + "<!-- lien -->")
        #expect(set.sources["couverture"]?.displayPath == "gabarits/couverture.mustache")

        try project.write("ailleurs/tableau.mustache", "{{#lignes}}{{/lignes}}")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/tableau.mustache",
                                                   withDestinationPath: project.root.path + "/ailleurs/tableau.mustache")
        do {
            _ = try TemplateSet(overrides: [(folder, "gabarits")])
            Issue.record("a link leading outside its folder was read")
        } catch {
            #expect(error.kind == .template)
            #expect(error.diagnostics.first?.location == SourceLocation(path: "gabarits/tableau.mustache"))
            #expect(error.diagnostics.first?.message.contains("lien vers un fichier hors de son dossier") == true)
        }
    }

    @Test func aTemplateNotInUTF8IsNamed() throws {
        let project = try TestProject([:])
        defer { project.remove() }
        try project.write("gabarits/couverture.mustache", bytes: Array("<p>Num".utf8) + [0xE9, 0x72, 0x6F] + Array("</p>".utf8))
        do {
            _ = try TemplateSet(overrides: [(project.root.appendingPathComponent("gabarits"), "gabarits")])
            Issue.record("a Windows-1252 template was read")
        } catch {
            #expect(error.diagnostics.first?.location == SourceLocation(path: "gabarits/couverture.mustache"))
            #expect(error.diagnostics.first?.message == "gabarit illisible (il doit être en UTF-8)")
        }
    }

    @Test func pathsSplitOnDotsAndSkipEmptyNames() {
        #expect(CompiledTemplates.Path("epci.nom").names == ["epci", "nom"])
        #expect(CompiledTemplates.Path(".").names == ["."])
        #expect(CompiledTemplates.Path("a..b.").names == ["a", "b"])
        #expect(CompiledTemplates.Path("réalisé.taux").names == ["réalisé", "taux"])
        #expect(CompiledTemplates.Path("epci.nom").hashes == [TemplateObject.hash("epci"), TemplateObject.hash("nom")])
    }
}
