import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

/// The document's identity: the EPCI's colours or a neutral one, commune names kept whole, the source of the figures.
@Suite struct IdentityTests {
    static func plan(adding extra: String) -> String {
        TestProject.miniFiles["plh.yaml"]! + "\n" + extra
    }

    static func render(_ changes: [String: String?]) throws -> RenderedBilan {
        let folder = try TestProject.mini(changing: changes)
        defer { folder.remove() }
        let project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        return try BilanRenderer(templates: TemplateSet(overrides: [])).render(project: project, achievement: Achievement(project: project))
    }

    static func errors(_ changes: [String: String?]) throws -> [Diagnostic] {
        let folder = try TestProject.mini(changing: changes)
        defer { folder.remove() }
        do {
            _ = try ProjectLoader(folder: ProjectFolder(folder.path)).load()
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }
        }
    }

    @Test func withoutColoursTheDocumentIsNeutralNotTheStatesBlue() throws {
        let html = try Self.render([:]).html
        #expect(html.contains("--principale: #2f4858;"))
        #expect(html.contains("--claire: #eaedee;"))
        #expect(!html.contains("#000091"))
    }

    @Test func theEPCIsColoursAreUsed() throws {
        let html = try Self.render(["plh.yaml": Self.plan(adding: "couleurs:\n  principale: \"#7A1F3D\"\n")]).html
        #expect(html.contains("--principale: #7a1f3d;"))
        // Without `claire`, a pale tint of the main colour: 10 % of it, 90 % white.
        #expect(html.contains("--claire: #f2e9ec;"))
        let both = try Self.render(["plh.yaml": Self.plan(adding: "couleurs:\n  principale: \"#1f5c99\"\n  claire: \"#eef3f8\"\n")]).html
        #expect(both.contains("--principale: #1f5c99;") && both.contains("--claire: #eef3f8;"))
    }

    @Test func aColourThatIsNotOneIsAnErrorAtItsLine() throws {
        let errors = try Self.errors(["plh.yaml": Self.plan(adding: "couleurs:\n  principale: bordeaux\n")])
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.message.contains("couleurs.principale : « bordeaux » n'est pas une couleur"))
        #expect(error.location?.path.hasSuffix("plh.yaml") == true)
        #expect(error.location?.line == TestProject.miniFiles["plh.yaml"]!.split(separator: "\n", omittingEmptySubsequences: false).count + 2)
    }

    @Test func unreadableColoursAreRefusedWithTheirContrast() throws {
        let pale = try Self.errors(["plh.yaml": Self.plan(adding: "couleurs:\n  principale: \"#ffcc00\"\n")])
        #expect(pale.count == 1)
        #expect(pale.first?.message.contains("trop claire") == true)
        #expect(pale.first?.message.contains("pour 4,5:1 au moins") == true)
        let dark = try Self.errors(["plh.yaml": Self.plan(adding: "couleurs:\n  principale: \"#1f5c99\"\n  claire: \"#5c7fa3\"\n")])
        #expect(dark.count == 1)
        #expect(dark.first?.message.contains("couleurs.claire") == true)
        #expect(try Self.errors(["plh.yaml": Self.plan(adding: "couleurs:\n  claire: \"#eef3f8\"\n")]).first?.message.contains("principale") == true)
    }

    @Test func contrastFollowsWCAG() throws {
        let white = Colours.RGB.white, black = Colours.RGB(red: 0, green: 0, blue: 0)
        #expect(abs(white.contrast(with: black) - 21) < 1e-9)
        #expect(abs(Colours.RGB(hex: "#767676")!.contrast(with: white) - 4.54) < 0.01)
        #expect(Colours.RGB(hex: "#abc")?.hex == "#aabbcc")
        #expect(Colours.RGB(hex: "1f5c99") == nil && Colours.RGB(hex: "#1f5c9") == nil && Colours.RGB(hex: "#gggggg") == nil)
        #expect(Colours.neutral.main.contrast(with: white) >= Colours.minimumContrast)
        #expect(Colours.neutral.main.contrast(with: Colours.neutral.light) >= Colours.minimumContrast)
    }

    @Test func communeNamesAreKeptWhole() throws {
        let html = try Self.render([:]).html
        // Each name of the categories' lists is one unbreakable span, followed by the list's separator.
        #expect(html.contains(#"<span class="commune">"#))
        #expect(html.contains(".commune { white-space: nowrap; }"))
        let names = html.components(separatedBy: #"<span class="commune">"#).dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(!names.isEmpty)
        #expect(html.contains(#"</span> et <span class="commune">"#))
        #expect(html.contains(#"<th scope="row" class="commune">"#))
    }

    @Test func aBilanWithoutTheSourceOfItsFiguresIsToComplete() throws {
        let plan = TestProject.miniFiles["plh.yaml"]!
        let unsourced = plan.replacingOccurrences(of: "  source: fichier de suivi de l'EPCI\n", with: "")
        #expect(unsourced != plan)
        let without = try Self.render(["plh.yaml": unsourced])
        #expect(without.toComplete.contains { $0.hasPrefix("Source des chiffres à indiquer") && $0.contains("bilan.source") })
        let with = try Self.render([:])
        #expect(!with.toComplete.contains { $0.hasPrefix("Source des chiffres") })
    }
}
