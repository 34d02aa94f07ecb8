import PLHBase
import Foundation
import PLHBilan
import PLHTestSupport
import Testing
import ZIPFoundation
@testable import PLHCLI

/// The built `plh-bilan`: beside the test bundle, or the release build of the README's first command.
func builtTool() -> URL? {
    var folder = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
    var candidates: [URL] = []
    for _ in 0..<3 {
        candidates.append(folder.appendingPathComponent("plh-bilan"))
        folder = folder.deletingLastPathComponent()
    }
    candidates.append(TestProject.repositoryRoot.appendingPathComponent(".build/release/plh-bilan"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs the built tool in `directory` with `environment` added to a clean one.
func runTool(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> (Int32, String) {
    let tool = try #require(builtTool(), "plh-bilan must be built beside the tests")
    let result = try TestProcess.run(tool, arguments, in: directory,
                                     environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 })
    return (result.status, result.output)
}

/// Rewrites an archive's entries through `change` (path → bytes, nil to drop), keeping the others.
func rewrite(_ archive: URL, to target: URL, change: (inout [String: Data]) -> Void) throws {
    let source = try Archive(url: archive, accessMode: .read)
    var files: [String: Data] = [:]
    for entry in source {
        var data = Data()
        _ = try source.extract(entry) { data.append($0) }
        files[entry.path] = data
    }
    change(&files)
    let out = try Archive(url: target, accessMode: .create)
    for (path, data) in files.sorted(by: { $0.key < $1.key }) {
        try out.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), provider: { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        })
    }
}

@Suite struct PackageTests {
    @Test func theSameInputsGiveTheSameBytesAnywhere() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let elsewhere = work.appendingPathComponent("ailleurs")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let example = TestProject.callExample
        let first = try runTool(["package", example, "--output", work.appendingPathComponent("a").path], in: work,
                                environment: ["TZ": "UTC", "LANG": "C"])
        let second = try runTool(["package", example, "--output", work.appendingPathComponent("b").path], in: elsewhere,
                                 environment: ["TZ": "Pacific/Kiritimati", "LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8"])
        #expect(first.0 == 0, "\(first.1)")
        #expect(second.0 == 0, "\(second.1)")
        let a = try #require(contents(work.appendingPathComponent("a/call-2014-2020.zip")))
        let b = try #require(contents(work.appendingPathComponent("b/call-2014-2020.zip")))
        #expect(SHA256.hex(a) == SHA256.hex(b))
        let printed = first.1.split(separator: "\n").first { $0.hasPrefix("SHA-256 : ") }
        #expect(printed == "SHA-256 : \(SHA256.hex(a))"[...])
        // Nothing from the host: no temporary or home path, no user name.
        let text = String(decoding: a, as: UTF8.self)
        #expect(!text.contains(work.path) && !text.contains("/tmp/") && !text.contains("/root"))
        // SOURCE_DATE_EPOCH moves the dates, and only them.
        let third = try runTool(["package", example, "--output", work.appendingPathComponent("c").path], in: work,
                                environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(third.0 == 0)
        let c = try #require(contents(work.appendingPathComponent("c/call-2014-2020.zip")))
        #expect(c != a && c.count == a.count)
    }

    @Test func verifyAcceptsThePackageAndRejectsEveryChange() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(run(["package", TestProject.callExample, "--output", work.path]).code == 0)
        let archive = work.appendingPathComponent("call-2014-2020.zip")
        let ok = run(["verify", archive.path])
        #expect(ok.code == 0)
        #expect(ok.out == "Archive conforme à son manifeste : 18 fichiers vérifiés.")

        let cases: [(String, (inout [String: Data]) -> Void, String)] = [
            ("modifie", { $0["projet/production.csv"]!.append(contentsOf: Array("62498;Lens;2015;plai;1\n".utf8)) },
             "fichier modifié : projet/production.csv"),
            ("meme-taille", { files in
                var bytes = [UInt8](files["bilan.html"]!); bytes[100] ^= 0x20; files["bilan.html"] = Data(bytes) },
             "fichier modifié : bilan.html (empreinte SHA-256 différente)"),
            ("retire", { $0["annexes/realisation-communes.csv"] = nil }, "fichier manquant : annexes/realisation-communes.csv"),
            ("ajoute", { $0["projet/recits/ajout.md"] = Data("texte ajouté".utf8) },
             "fichier en trop, absent du manifeste : projet/recits/ajout.md"),
            ("sans-manifeste", { $0["manifest.json"] = nil }, "manifest.json absent"),
        ]
        for (name, change, expected) in cases {
            let altered = work.appendingPathComponent("\(name).zip")
            try rewrite(archive, to: altered, change: change)
            let result = run(["verify", altered.path])
            #expect(result.code == 1, "\(name)")
            #expect(result.err.contains(expected), "\(name): \(result.err)")
        }
    }

    @Test func hostileArchivesAreRefusedWithoutWritingAnything() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let hostile = work.appendingPathComponent("hostile.zip")
        let archive = try Archive(url: hostile, accessMode: .create)
        for path in ["../evasion.txt", "/etc/evasion.txt", "projet/../../evasion.txt"] {
            let data = Data("x".utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(1), provider: { (_: Int64, _: Int) in data })
        }
        try archive.addEntry(with: "lien", type: .symlink, uncompressedSize: Int64(4), provider: { (_: Int64, _: Int) in Data("/etc".utf8) })
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: work.path))
        let result = run(["verify", hostile.path])
        #expect(result.code == 1)
        #expect(result.err.contains("entrée « ../evasion.txt » refusée : chemin qui remonte"))
        #expect(result.err.contains("entrée « /etc/evasion.txt » refusée : chemin absolu"))
        #expect(result.err.contains("entrée « projet/../../evasion.txt » refusée"))
        #expect(result.err.contains("entrée « lien » refusée : c'est un lien symbolique"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: work.path)) == before)
        #expect(!FileManager.default.fileExists(atPath: work.deletingLastPathComponent().appendingPathComponent("evasion.txt").path))

        let garbage = work.appendingPathComponent("pas-une-archive.zip")
        try Data("PK\u{3}\u{4} ceci n'est pas une archive".utf8).write(to: garbage)
        let refused = run(["verify", garbage.path])
        #expect(refused.code == 1)
        #expect(refused.err.contains("ce n'est pas une archive ZIP lisible") || refused.err.contains("manifest.json absent"))
    }

    @Test func hugeDeclaredSizeIsNotExtracted() {
        var verifier = ArchiveVerifier()
        verifier.fileLimit = 1000
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let url = work.appendingPathComponent("grand.zip")
        let archive = try! Archive(url: url, accessMode: .create)
        let data = Data(repeating: 0, count: 5000)
        try! archive.addEntry(with: "zeros.bin", type: .file, uncompressedSize: Int64(5000), compressionMethod: .deflate,
                              provider: { (p: Int64, s: Int) in data.subdata(in: Int(p)..<Int(p) + s) })
        let report = try! verifier.verify(url.path)
        #expect(report.problems.first == "entrée « zeros.bin » refusée : taille annoncée de 5\u{202F}000 octets, au-delà de la limite")
    }

    @Test func otherToolsReadTheArchiveAndAccentedNamesSurvive() throws {
        let yaml = TestProject.miniFiles["plh.yaml"]!.replacingOccurrences(of: "bilan_global: global.md", with: "bilan_global: récit-général.md")
        let project = try TestProject.mini(changing: ["plh.yaml": yaml, "global.md": nil, "récit-général.md": "Texte *accentué* : été.\n"])
        defer { project.remove() }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(run(["package", project.path, "--output", work.path]).code == 0)
        let archive = work.appendingPathComponent("projet.zip")
        #expect(run(["verify", archive.path]).code == 0)
        let script = """
        import sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for info in z.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
            assert info.date_time == (2023, 6, 30, 12, 0, 0), info.date_time
            assert info.external_attr >> 16 == 0o100644, oct(info.external_attr >> 16)
            assert info.flag_bits & 0x800, "UTF-8 name flag"
        assert "accentué" in z.read("projet/récit-général.md").decode("utf-8")
        print("\\n".join(sorted(z.namelist())))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, archive.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let names = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(names.contains("projet/récit-général.md"))
        #expect(names.contains("manifest.json") && names.contains("LISEZMOI.txt"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            let unzip = Process()
            unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
            unzip.arguments = ["-t", archive.path]
            unzip.standardOutput = FileHandle.nullDevice
            try unzip.run()
            unzip.waitUntilExit()
            #expect(unzip.terminationStatus == 0)
        }
    }

    @Test func theArchiveIsWrittenAtomically() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        try Data("ancienne".utf8).write(to: work.appendingPathComponent(".call-2014-2020.zip.tmp-999999999-2"))
        #expect(run(["package", TestProject.callExample, "--output", work.path]).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["call-2014-2020.zip"])
        let project = try TestProject.mini(changing: ["production.csv": "code_insee;annee;segment;logements\n2A004;2020;social;-1\n"])
        defer { project.remove() }
        let previous = contents(work.appendingPathComponent("call-2014-2020.zip"))
        #expect(run(["package", project.path, "--output", work.path]).code == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["call-2014-2020.zip"])
        #expect(contents(work.appendingPathComponent("call-2014-2020.zip")) == previous)
    }

    /// Issue 11, defect 11 (package): a project with no objective, no production and narratives to write was packaged
    /// (exit 0) like a finished bilan. It is refused, naming what is missing and `--brouillon`; a draft says so on its
    /// cover, in its LISEZMOI and in its manifest; a complete bilan's archive has no draft mark.
    @Test func anIncompleteBilanIsPackagedOnlyAsADraft() throws {
        let project = try TestProject.mini(changing: ["objectifs.csv": "categorie;code_insee;segment;logements;periode\n",
                                                      "production.csv": "code_insee;annee;segment;logements\n", "global.md": "\n"])
        defer { project.remove() }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let refused = run(["package", project.path, "--output", work.path])
        #expect(refused.code == 1)
        #expect(refused.err.contains("bilan incomplet, archive de dépôt refusée : Aucun objectif chiffré"), "\(refused.err)")
        #expect(refused.err.contains("Récit à rédiger : global.md") && refused.err.contains("--brouillon"), "\(refused.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)

        let draft = run(["package", project.path, "--output", work.path, "--brouillon"])
        #expect(draft.code == 0, "\(draft.err)")
        #expect(draft.out.hasPrefix("Brouillon (bilan incomplet) écrit : "))
        let archive = try Archive(url: work.appendingPathComponent("projet.zip"), accessMode: .read)
        func text(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try #require(archive[path])) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try text("bilan.html").contains("<strong>Brouillon — document incomplet</strong>"))
        #expect(try text("LISEZMOI.txt").hasPrefix("BROUILLON — document incomplet"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(text("manifest.json").utf8)) as? [String: Any])
        #expect(manifest["brouillon"] as? Bool == true)
        #expect((manifest["a_completer"] as? [String])?.count == 3)
        #expect(run(["verify", work.appendingPathComponent("projet.zip").path]).code == 0)

        // A complete bilan: no mark, with or without --brouillon, the same bytes.
        let complete = try TestProject.mini()
        defer { complete.remove() }
        #expect(run(["package", complete.path, "--output", work.appendingPathComponent("a").path]).code == 0)
        #expect(run(["package", complete.path, "--output", work.appendingPathComponent("b").path, "--brouillon"]).code == 0)
        let a = try #require(contents(work.appendingPathComponent("a/projet.zip")))
        #expect(a == contents(work.appendingPathComponent("b/projet.zip")))
        #expect(!String(decoding: a, as: UTF8.self).contains("rouillon"))
        // render is unchanged: the « Bilan à compléter » box, no draft mark.
        #expect(run(["render", project.path, "--output", work.appendingPathComponent("r").path]).code == 0)
        let html = String(decoding: try #require(contents(work.appendingPathComponent("r/projet/bilan.html"))), as: UTF8.self)
        #expect(html.contains("Bilan à compléter") && !html.contains("Brouillon"))
    }

    /// The library takes its settings from its caller: a fixed time given in-process moves the archive's dates,
    /// and a search path without Chromium is told, whatever the process environment says.
    @Test func settingsComeFromTheCaller() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let project = try TestProject.mini()
        defer { project.remove() }
        let plain = try BilanGenerator(projectFolder: project.path, settings: RunSettings()).package(into: work.appendingPathComponent("a").path)
        let fixed = try BilanGenerator(projectFolder: project.path, settings: RunSettings(sourceDateEpoch: 1_700_000_000))
            .package(into: work.appendingPathComponent("b").path)
        #expect(plain.sha256 != fixed.sha256)
        #expect(throws: BilanError.self) { try PDFPrinter(settings: RunSettings(searchPath: ["/nonexistent"])) }
        #expect(RunSettings(environment: ["SOURCE_DATE_EPOCH": "12", "PLH_CHROMIUM": "", "PLH_BATCH_TIMING": "1", "PATH": "/a:/b"])
                == RunSettings(sourceDateEpoch: 12, chromium: nil, searchPath: ["/a", "/b"], timing: true))
    }

    /// Below the command line nothing reads the process environment nor prints (a server embeds the library).
    @Test func nothingBelowTheCommandLineReadsTheEnvironmentOrPrints() throws {
        let sources = TestProject.repositoryRoot.appendingPathComponent("Sources")
        for target in ["PLHModel", "PLHBase", "PLHLoad", "PLHCompute", "PLHRender", "PLHPackage", "PLHImport", "PLHBatch", "PLHBilan"] {
            let folder = sources.appendingPathComponent(target)
            for case let file as String in FileManager.default.enumerator(atPath: folder.path)! where file.hasSuffix(".swift") {
                // Code only: a doc comment may show `print(…)` in an example.
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
                for forbidden in ["processInfo.environment", "FileHandle.standardError", "FileHandle.standardOutput", "getenv(", " print("] {
                    #expect(!text.contains(forbidden), "\(target)/\(file): \(forbidden)")
                }
            }
        }
    }
}
