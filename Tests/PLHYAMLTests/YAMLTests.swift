import Testing
@testable import PLHYAML

/// PLHYAML: Debian's libyaml behind located nodes, read and written back.
@Suite struct YAMLTests {
    @Test func nodesKeepTheirOrderStylesAndPlaces() throws {
        let text = "epci:\n  nom: CA de Lens – Liévin\n  siren: \"246200364\"\nannees: [2015, 2016]\ntexte: |\n  deux\n  lignes\n"
        let root = try #require(try YAML.compose(text))
        let mapping = try #require(root.mapping)
        #expect(mapping.map { $0.key.scalar?.string } == ["epci", "annees", "texte"])
        let epci = try #require(mapping["epci"]?.mapping)
        #expect(epci["nom"]?.scalar == Node.Scalar("CA de Lens – Liévin", style: .plain, mark: Node.Mark(line: 2, column: 8)))
        #expect(epci["siren"]?.scalar?.style == .doubleQuoted)
        #expect(mapping["annees"]?.sequence?.style == .flow)
        #expect(mapping["annees"]?.sequence?.map { $0.scalar?.string } == ["2015", "2016"])
        #expect(mapping["texte"]?.scalar?.string == "deux\nlignes\n")
        #expect(mapping["texte"]?.scalar?.style == .literal)
        #expect(root.mark == Node.Mark(line: 1, column: 1))
    }

    @Test func emptyTextHasNoDocument() throws {
        #expect(try YAML.compose("") == nil)
        #expect(try YAML.compose("# rien\n") == nil)
    }

    @Test func errorsSayWhatAndWhere() {
        #expect(throws: YAMLError.duplicateKey("stade", first: Node.Mark(line: 2, column: 3), repeated: Node.Mark(line: 4, column: 3))) {
            try YAML.compose("bilan:\n  stade: commences\n  type: triennal\n  stade: autorises\n")
        }
        #expect(throws: YAMLError.syntax(problem: YAML.secondDocument, mark: Node.Mark(line: 2, column: 1))) {
            try YAML.compose("a: 1\n---\nb: 2\n")
        }
        #expect(throws: YAMLError.syntax(problem: YAML.undefinedAlias, mark: Node.Mark(line: 1, column: 4))) {
            try YAML.compose("a: *nulle\n")
        }
        do {
            _ = try YAML.compose("a: b: c\n")
            Issue.record("a mapping value inside a plain scalar must be refused")
        } catch {
            guard case .syntax(let problem, let mark) = error else { Issue.record("\(error)"); return }
            #expect(problem == "mapping values are not allowed in this context")
            #expect(mark == Node.Mark(line: 1, column: 5))
        }
        do {
            _ = try YAML.compose("a: b\u{7}\n")
            Issue.record("a control character must be refused")
        } catch {
            guard case .reader(let problem, let offset, let value) = error else { Issue.record("\(error)"); return }
            #expect(problem.contains("control characters"))
            #expect(offset == 4 && value == 7)
        }
    }

    @Test func aliasesAreTheirAnchorsNodes() throws {
        let root = try #require(try YAML.compose("a: &x [1, 2]\nb: *x\n")?.mapping)
        #expect(root["a"]?.sequence?.map { $0.scalar?.string } == root["b"]?.sequence?.map { $0.scalar?.string })
    }

    @Test func writtenTextReadsBackTheSame() throws {
        let node = Node.mapping(Node.Mapping([
            (Node("nom"), Node("PLH 2 : 2014-2020")),
            (Node("couleur"), Node("#1f5c99")),
            (Node("siren"), Node("246200364", style: .doubleQuoted)),
            (Node("recit"), Node("ligne 1\nligne 2\n", style: .literal)),
            (Node("liste"), .sequence(Node.Sequence([Node("a"), Node("é")]))),
            (Node("vide"), .mapping(Node.Mapping([]))),
        ]))
        let text = YAML.serialize(node)
        #expect(text.contains("couleur: '#1f5c99'"), "a # must not start a comment: \(text)")
        #expect(text.contains("siren: \"246200364\""))
        #expect(text.contains("- é"), "UTF-8 kept, not escaped")
        let back = try #require(try YAML.compose(text)?.mapping)
        for (key, value) in node.mapping! {
            let read = try #require(back[key.scalar!.string])
            if let scalar = value.scalar { #expect(read.scalar?.string == scalar.string) }
        }
        #expect(back["liste"]?.sequence?.count == 2)
        #expect(back["vide"]?.mapping?.isEmpty == true)
    }

    @Test func plainStringsAreTellApartFromOtherTypes() {
        for text in ["Centre", "2015-2020", "PLH 2", "commences", "1er janvier", "CA de Lens – Liévin"] {
            #expect(YAML.isPlainString(text), "\(text)")
        }
        for text in ["", "~", "null", "yes", "No", "true", "OFF", "0123", "246200364", "-12", "0x1F", "1_000",
                     "3.5", ".5", "1e3", ".inf", "-.INF", ".NaN", "2023-06-30", "2023-6-30 12:00:00", "<<", "="] {
            #expect(!YAML.isPlainString(text), "\(text)")
        }
    }
}
