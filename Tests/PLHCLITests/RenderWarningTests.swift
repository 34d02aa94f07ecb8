import Foundation
import PLHTestSupport
import Testing
@testable import PLHCLI

/// Warnings found while rendering reach the user, like the loader's.
@Suite struct RenderWarningTests {
    static let narrative = "Un texte <b>gras</b>.\n\n![pixel](https://tracker.example/pixel.png)\n"

    /// Issue 11, defects 22 and 23: a remote image and raw HTML dropped from a narrative were silent.
    @Test func renderAndPackagePrintWhatNarrativesLost() throws {
        let project = try TestProject.mini(changing: ["global.md": Self.narrative])
        defer { project.remove() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        for command in ["render", "package"] {
            let result = run([command, project.path, "--output", out.path])
            #expect(result.code == 0, "\(command): \(result.err)")
            #expect(result.err.contains("global.md:1: avertissement : HTML brut ignoré dans le récit : « <b> », « </b> »"), "\(command)")
            #expect(result.err.contains("global.md:3: avertissement : image distante retirée du récit : « https://tracker.example/pixel.png »"),
                    "\(command)")
        }
        let html = try String(contentsOf: out.appendingPathComponent("projet/bilan.html"), encoding: .utf8)
        #expect(!html.contains("tracker.example"))
    }

    @Test func checkPrintsThemAndStrictRefuses() throws {
        let project = try TestProject.mini(changing: ["global.md": Self.narrative])
        defer { project.remove() }
        let check = run(["check", project.path])
        #expect(check.code == 0)
        #expect(check.err.contains("avertissement : image distante retirée du récit"))
        let strict = run(["check", project.path, "--strict"])
        #expect(strict.code == 1)
        // The two narrative warnings, and the DGCL comparison's of the fictional mini project: all are counted.
        let printed = strict.err.split(separator: "\n").filter { $0.contains(": avertissement : ") }
        #expect(printed.filter { $0.contains("récit") }.count == 2, "\(strict.err)")
        #expect(strict.err.contains("\(printed.count) avertissements : refusé avec --strict."), "\(strict.err)")
    }
}

/// Issue 11, defect 22: names from input files reached the terminal with their escape sequences.
@Suite struct TerminalSafetyTests {
    @Test func everyPrintedLineIsWithoutControlCharacters() throws {
        // The tool's own output functions clean every line, whatever the command prints.
        final class Box: @unchecked Sendable { var lines: [String] = [] }
        let box = Box()
        let tool = CommandLineTool(standardOutput: { box.lines.append($0) }, standardError: { box.lines.append($0) })
        tool.standardError("EPCI « A\u{1B}]0;titre\u{07}B » non rendu")
        tool.standardOutput("x\u{9B}31my")
        #expect(box.lines == ["EPCI « AB » non rendu", "x31my"])
    }
}
