import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

/// The « Sources des données » section, the « Bilan à compléter » notice and narratives still to write.
@Suite struct SourcesRenderTests {
    func html(_ changes: [String: String?]) throws -> String {
        let folder = try TestProject.mini(changing: changes)
        defer { folder.remove() }
        let project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        var model = ViewModel(project: project, achievement: Achievement(project: project))
        #expect(try model.value().mismatch(with: .object(ViewModelSchema.root)) == nil)
        return try BilanRenderer(templates: TemplateSet(overrides: [])).render(project: project, achievement: Achievement(project: project)).html
    }

    @Test func importedFilesAreListedWithTheirStageDateAndFingerprint() throws {
        let sha = "0123456789abcdef" + String(repeating: "0", count: 48)
        let page = try html(["sources.csv": """
            identifiant;type;fichier;sha256;date_import;stade;lignes_lues;lignes_retenues;hors_epci;hors_periode
            PC_DAU_2017.csv;sitadel;PC_DAU_2017.csv;\(sha);2019-06-25;commences;1250;310;900;40

            """])
        #expect(page.contains("<h3>Sources des données</h3>"))
        #expect(page.contains("<tr><th scope=\"row\">Permis de construire (Sitadel)</th><td>PC_DAU_2017.csv</td><td>logements commencés</td><td><time datetime=\"2019-06-25\">25 juin 2019</time></td><td class=\"nombre\">1\u{202F}250</td><td class=\"nombre\">310</td><td><code title=\"\(sha)\">0123456789ab</code></td></tr>"))
        #expect(!page.contains("saisie directement"))
        #expect(!page.contains("Bilan à compléter"), "the mini project has objectives, production and a narrative")
    }

    @Test func withoutImportsTheBilanNamesTheDeclaredSourceOrSaysItIsMissing() throws {
        let unsourced = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "  source: fichier de suivi de l'EPCI\n", with: "")
        let page = try html(["plh.yaml": unsourced])
        #expect(page.contains("Production fournie par l’EPCI, sans source déclarée&#160;: la source et le millésime des chiffres restent à préciser."))
        #expect(!page.contains("<table class=\"sources\">"))
        let yaml = unsourced.replacingOccurrences(of: "  stade: commences\n",
            with: "  stade: commences\n  source: Sitadel, logements commencés en date réelle, données de février 2023\n")
        #expect(yaml != TestProject.miniFiles["plh.yaml"]!)
        let declared = try html(["plh.yaml": yaml])
        #expect(declared.contains("Source de la production&#160;: Sitadel, logements commencés en date réelle, données de février 2023."))
        #expect(!declared.contains("placés à côté de ce document"), "a PDF has nothing beside it")
    }

    /// Issue 13, point 4: the commune annex gives each segment's production, and says where objectives are.
    @Test func theCommuneAnnexGivesSegments() throws {
        let page = try html([:])
        let annex = try #require(page.components(separatedBy: "<table class=\"communes\">").last?.components(separatedBy: "</table>").first)
        #expect(annex.contains("<th scope=\"col\" class=\"nombre\">Locatif social</th>"), "\(annex.prefix(600))")
        #expect(annex.contains("<th scope=\"row\" class=\"commune\">Ajaccio</th>"))
        #expect(!page.contains("Les objectifs sont fixés par catégorie de communes"), "the mini project has commune objectives")
        let byCategory = try html(["objectifs.csv": "categorie;code_insee;segment;logements;periode\ncentre;;social;60;an\nvillages;;social;6;an\n"])
        #expect(byCategory.contains("Les objectifs sont fixés par catégorie de communes"))
    }

    @Test func whatIsMissingIsSaidNearTheTop() throws {
        let page = try html([
            "objectifs.csv": "categorie;code_insee;segment;logements;periode\n",
            "production.csv": "code_insee;annee;segment;logements\n",
            "global.md": "<!--\nÀ écrire : le bilan global.\n-->\n\n## Constats\n\n<!-- les constats -->\n",
        ])
        let notice = try #require(page.range(of: "<h2 id=\"a-completer-titre\">Bilan à compléter</h2>"))
        let cadrage = try #require(page.range(of: "<section id=\"cadrage\""))
        #expect(notice.lowerBound < cadrage.lowerBound)
        // French spacing applies: no-break spaces before « : » and « ; ».
        #expect(page.contains("<li>Aucun objectif chiffré\u{A0}: remplissez le fichier des objectifs (objectifs.csv)\u{202F}; les taux de réalisation sont"))
        #expect(page.contains("<li>Aucune production comptée pour les années 2020, 2021 et 2022"))
        #expect(page.contains("<li>Récit à rédiger\u{A0}: global.md.</li>"))
        #expect(page.contains("<p class=\"a-rediger\">À rédiger</p>"))
        #expect(!page.contains("À écrire") && !page.contains("les constats -->") && !page.contains("raw HTML omitted"),
                "guidance comments never reach the bilan")
        #expect(page.contains("sans objectif"))
        #expect(page.contains("Aucun objectif de production n’est encore chiffré.") && !page.contains("est de 0 logements"))
    }

    @Test func commentsAreRemovedInBothModesAndTextIsText() {
        let markdown = "<!-- consigne -->\n\nLe texte <!-- note --> continue.\n"
        #expect(Markdown.html(markdown) == "<p>Le texte  continue.</p>\n")
        #expect(Markdown.html(markdown, allowRawHTML: true) == "<p>Le texte  continue.</p>\n")
        #expect(Markdown.hasText(markdown))
        #expect(!Markdown.hasText("# Titre\n\n<!--\nconsigne\n-->\n## Autre titre\n"))
        #expect(Markdown.hasText("# Titre\n\n- un point\n"))
        #expect(Markdown.html("<div>brut</div>\n") == "<!-- raw HTML omitted -->\n", "other raw HTML is still dropped in safe mode")
    }
}
