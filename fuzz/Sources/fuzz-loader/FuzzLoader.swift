import Foundation
import FuzzSupport
import PLHBilan

/// The input is a project: plh.yaml, communes.csv, objectifs.csv, production.csv and recit.md,
/// separated by NUL bytes. Loading must succeed or fail with located input errors, never crash;
/// a project that loads must compute and render without an internal error.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plh-fuzz-loader-\(getpid())/projet")
let names = ["plh.yaml", "communes.csv", "objectifs.csv", "production.csv", "recit.md"]
let templates = try! TemplateSet(overrides: [])

func fuzzLoader(_ bytes: [UInt8]) {
    writeParts(bytes, names: names, into: folder)
    do {
        let loaded = try ProjectLoader(folder: ProjectFolder(folder.path)).load()
        let achievement = Achievement(project: loaded.project)
        _ = try BilanRenderer(templates: templates).render(project: loaded.project, achievement: achievement)
    } catch {
        precondition(error.kind == .input, "unexpected failure kind \(error.kind): \(error)")
        precondition(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { !$0.message.isEmpty })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzLoader(bytes(data, size))
    return 0
}

@_cdecl("fuzz_loader_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}
