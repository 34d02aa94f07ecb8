import Foundation
import PLHBilan
import PLHTestSupport
import Testing
import ZIPFoundation
@testable import PLHCLI

/// Issue 14: an installed `plh-bilan` finds its templates and reference data from any working directory
/// (`../share/plh-bilan/` from its own folder), and says in French when they are missing, never crashing.
@Suite struct InstallationTests {
    /// The built tool copied into `root/bin/`, with its bundles in `root/share/plh-bilan/` when `withResources`.
    static func install(into root: URL, withResources: Bool) throws -> URL {
        let tool = try #require(builtTool(), "plh-bilan must be built beside the tests")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let installed = root.appendingPathComponent("bin/plh-bilan")
        try manager.copyItem(at: tool, to: installed)
        if withResources {
            let share = root.appendingPathComponent("share/plh-bilan")
            try manager.createDirectory(at: share, withIntermediateDirectories: true)
            for bundle in ["PLHBilan_PLHTemplates.resources", "PLHBilan_PLHImport.resources"] {
                try manager.copyItem(at: tool.deletingLastPathComponent().appendingPathComponent(bundle),
                                     to: share.appendingPathComponent(bundle))
            }
        }
        return installed
    }

    @Test func anInstalledToolWorksFromAnyFolder() throws {
        let root = temporaryFolder(), elsewhere = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: elsewhere) }
        let tool = try Self.install(into: root, withResources: true)
        let render = try TestProcess.run(tool, ["render", TestProject.callExample, "--output", "sortie"], in: elsewhere,
                                         environment: ["PATH": "/usr/bin:/bin"])
        #expect(render.status == 0, "\(render.output)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("sortie/call-2014-2020/bilan.html").path))
        // The reference data too: a project made from the shipped DGCL file.
        let initialised = try TestProcess.run(tool, ["init", "lens", "--epci", "246200364", "--periode", "2015-2020"], in: elsewhere,
                                              environment: ["PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000"])
        #expect(initialised.status == 0, "\(initialised.output)")
        #expect(initialised.output.contains("36 communes"), "\(initialised.output)")
    }

    @Test func missingResourcesAreAFrenchErrorNotACrash() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let tool = try Self.install(into: root, withResources: false)
        for arguments in [["render", TestProject.callExample, "--output", root.appendingPathComponent("sortie").path],
                          ["init", root.appendingPathComponent("lens").path, "--epci", "246200364"]] {
            let result = try TestProcess.run(tool, arguments, in: root, environment: ["PATH": "/usr/bin:/bin"])
            #expect(result.status == 6, "\(arguments[0]): \(result.output)")
            #expect(result.output.contains("installation incomplète"), "\(result.output)")
            #expect(result.output.contains(root.appendingPathComponent("share/plh-bilan/").path), "names where it looked: \(result.output)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("sortie").path), "nothing half-written")
        }
        // What needs no file still works.
        let version = try TestProcess.run(tool, ["--version"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(version.status == 0 && version.output == ViewModel.generator + "\n")
    }

    /// One version number, set in Version.swift: --version, the archives' manifest, the Debian package
    /// (scripts/build-deb.sh reads that line) and the README's installation command all say it.
    @Test func oneVersionNumberEverywhere() throws {
        let version = PLHBilanVersion.current
        let root = TestProject.repositoryRoot
        let source = try String(contentsOf: root.appendingPathComponent("Sources/PLHModel/Version.swift"), encoding: .utf8)
        let lines = source.split(separator: "\n").filter { $0.contains("static let current") }
        #expect(lines == ["    public static let current = \"\(version)\""], "the line build-deb.sh reads")
        let script = try String(contentsOf: root.appendingPathComponent("scripts/build-deb.sh"), encoding: .utf8)
        #expect(script.contains(#"sed -n 's/^ *public static let current = "\([0-9][0-9A-Za-z.+~]*\)"$/\1/p' Sources/PLHModel/Version.swift"#))
        #expect(run(["--version"]).out == "PLH Bilan \(version)")
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("sudo apt install ./plh-bilan_\(version)_amd64.deb"))
        let project = try TestProject.mini()
        defer { project.remove() }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(run(["package", project.path, "--output", work.path]).code == 0)
        let archive = try Archive(url: work.appendingPathComponent("projet.zip"), accessMode: .read)
        var data = Data()
        _ = try archive.extract(try #require(archive["manifest.json"])) { data.append($0) }
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((manifest["generateur"] as? [String: Any])?["version"] as? String == version)
    }

    /// The man page is written from the commands' help: every usage line and option is in it.
    @Test func theManPageSaysWhatTheHelpSays() throws {
        let page = ManPage.roff(date: "2026-12-03")
        #expect(page.hasPrefix(".\\\""))
        #expect(page.contains(".TH PLH\\-BILAN 1 \"2026\\-12\\-03\" \"\(ManPage.escape(ViewModel.generator))\""))
        for help in CommandLineTool.commandHelps.flatMap(\.all) {
            for line in help.usageLines { #expect(page.contains(ManPage.text(line)), "\(line)") }
            for option in help.options { #expect(page.contains("\\fB\(ManPage.escape(option.name))\\fR"), "\(option.name)") }
        }
        // No line of text can be read as a roff request.
        #expect(ManPage.text(".profile") == "\\&.profile" && ManPage.text("a\\b") == "a\\eb")
        #expect(run(["help", "--man", "render"]).code == 2)
        let printed = run(["help", "--man"])
        #expect(printed.code == 0 && printed.out.contains(".SH COMMANDES"))
        // groff reads it without a warning, when it is installed.
        let groff = URL(fileURLWithPath: "/usr/bin/groff")
        if FileManager.default.isExecutableFile(atPath: groff.path) {
            let file = temporaryFolder().appendingPathComponent("plh-bilan.1")
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            try page.write(to: file, atomically: true, encoding: .utf8)
            let checked = try TestProcess.run(groff, ["-k", "-man", "-Tutf8", "-ww", "-z", file.path])
            #expect(checked.status == 0 && checked.output.isEmpty, "\(checked.output)")
        }
    }
}
