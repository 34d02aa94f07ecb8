import PLHCompute
import PLHLoad
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHRender

/// Issue 11, defect 4: the largest values the readers accept go through compute and render without a trap.
@Suite struct LimitRenderTests {
    @Test func aProjectAtEveryLimitRenders() throws {
        let most = Limits.dwellings, population = Limits.population, objective = Limits.objective
        let folder = try TestProject.mini(changing: [
            "communes.csv": "code_insee;commune;population;categorie\n2A004;Ajaccio;\(population);centre\n01001;L'Abergement-Clémenciat;\(population);villages\n97101;Les Abymes;\(population);villages\n",
            "objectifs.csv": "categorie;code_insee;segment;logements;periode\ncentre;;social;\(objective);an\nvillages;;social;\(objective);an\ncentre;;accession;0,5;plan\n",
            "production.csv": "code_insee;annee;segment;logements;source\n2A004;2020;social;\(most);\n2A004;2020;social;\(most);autre\n01001;2021;accession;\(most);\n97101;2022;prive;\(most);\n",
        ])
        defer { folder.remove() }
        let project = try ProjectLoader(folder: ProjectFolder(folder.path)).load().project
        #expect(project.production.first { $0.commune == "2A004" }?.dwellings == 2 * most)
        let bilan = try BilanRenderer(templates: try TemplateSet(overrides: [])).render(project: project, achievement: Achievement(project: project))
        let html = bilan.html
        #expect(html.contains("300\u{202F}000\u{202F}000"), "the population of the EPCI, written in full")
        #expect(bilan.files.count >= 4)
    }
}
