import Testing
@testable import PLHCLI

/// `plh-bilan serve` parses its options before anything starts (issue 12).
@Suite struct ServeCommandTests {
    func run(_ arguments: [String]) -> (Int32, [String]) {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let tool = CommandLineTool(standardOutput: { lines.all.append($0) }, standardError: { lines.all.append($0) })
        return (tool.run(arguments), lines.all)
    }

    @Test func badPortIsAUsageError() {
        let (code, lines) = run(["serve", "--port", "80000"])
        #expect(code == 2)
        #expect(lines.joined(separator: "\n").contains("--port : « 80000 » n'est pas un port"))
    }

    @Test func unknownOptionIsRefused() {
        let (code, _) = run(["serve", "--porte", "8080"])
        #expect(code == 2)
    }

    @Test func helpNamesTheOptions() {
        let (code, lines) = run(["serve", "--help"])
        #expect(code == 0)
        let text = lines.joined(separator: "\n")
        for option in ["--data DOSSIER", "--port 8080", "--host 127.0.0.1", "--secure-cookies"] { #expect(text.contains(option)) }
    }

    @Test func firstStartLinkIsPrintedInFrench() throws {
        var options = try Options(["--data", "/tmp/x", "--port", "9090"], own: ServeCommand().help.options)
        var lines: [String] = []
        let tool = CommandLineTool(standardOutput: { lines.append($0) })
        let configuration = try ServeCommand.configuration(&options, tool)
        #expect(configuration.port == 9090 && configuration.dataFolder == "/tmp/x" && !configuration.secureCookies)
        configuration.notify(.firstStart(link: "http://127.0.0.1:9090/installation/abc"))
        #expect(lines.first?.hasPrefix("Premier démarrage : aucun compte n'existe encore.") == true)
        #expect(lines.last == "  http://127.0.0.1:9090/installation/abc")
    }
}
