import Foundation

/// A project folder written to a fresh temporary directory, from file contents that tests can alter.
public struct TestProject {
    public let root: URL
    public var path: String { root.path }

    /// The mini project: three communes (Corsican, leading-zero and overseas codes), two categories,
    /// three segments, objectives by category and by commune, one segment without objective.
    public static let miniFiles: [String: String] = [
        "plh.yaml": """
        epci:
          nom: Communauté d'essai
          siren: "200000172"
        plh:
          nom: PLH d'essai 2020-2025
          premiere_annee: 2020
          derniere_annee: 2025
        bilan:
          type: triennal
          date: 2023-06-30
          annees: 2020-2022
          stade: commences
          source: fichier de suivi de l'EPCI
        categories:
          - code: centre
            libelle: Centre
          - code: villages
            libelle: Villages
        segments:
          - code: social
            libelle: Locatif social
          - code: accession
            libelle: Accession
          - code: prive
            libelle: Locatif privé
        orientations:
          - titre: Produire
            bilan_production: oui
            bilan_global: global.md

        """,
        "communes.csv": """
        code_insee;commune;population;categorie
        2A004;Ajaccio;70000;centre
        01001;L'Abergement-Clémenciat;800;villages
        97101;Les Abymes;50000;villages

        """,
        "objectifs.csv": """
        categorie;code_insee;segment;logements;periode
        centre;;social;60;an
        centre;;accession;120;plan
        ;01001;social;12;plan
        ;97101;social;24;plan
        ;97101;accession;6;an

        """,
        "production.csv": """
        code_insee;annee;segment;logements
        2A004;2020;social;50
        2A004;2021;social;40
        2A004;2022;accession;30
        2A004;2022;prive;10
        2A004;2023;social;99
        01001;2021;social;3
        97101;2022;accession;9
        97101;2020;prive;5

        """,
        "global.md": "La production *progresse*.\n",
    ]

    /// Writes `files` (path → content; a nil content leaves the file out) to a new temporary folder.
    public init(_ files: [String: String?] = TestProject.miniFiles, name: String = "projet") throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("plh-bilan-tests-\(UUID().uuidString)")
        root = base.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files {
            guard let content else { continue }
            try write(path, content)
        }
    }

    /// The mini project with some files replaced (or removed, with nil).
    public static func mini(changing changes: [String: String?] = [:]) throws -> TestProject {
        var files: [String: String?] = miniFiles
        for (k, v) in changes { files[k] = v }
        return try TestProject(files)
    }

    public func write(_ path: String, _ content: String) throws {
        try write(path, bytes: Array(content.utf8))
    }

    public func write(_ path: String, bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Removes the temporary folder.
    public func remove() {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    /// The repository's root, found from this source file.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The CALL example folder.
    public static var callExample: String {
        repositoryRoot.appendingPathComponent("examples/call-2014-2020").path
    }
}
