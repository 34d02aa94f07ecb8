import Foundation
import FuzzSupport
import PLHBilan

/// The input is an observatory: observatoire.yaml, territoire.csv, plh.csv, objectifs.csv and production.csv,
/// separated by NUL bytes. Loading must succeed or fail with located input errors; every EPCI that loads
/// must compute and render; the fast and the general production paths must agree.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plh-fuzz-observatory-\(getpid())/observatoire")
let names = ["observatoire.yaml", "territoire.csv", "plh.csv", "objectifs.csv", "production.csv"]
let templates = try! TemplateSet(overrides: [])

func fuzzObservatory(_ bytes: [UInt8]) {
    writeParts(bytes, names: names, into: folder)
    let fast = ObservatoryLoader(folder: ProjectFolder(folder.path))
    var general = fast
    general.fastPaths = false
    do {
        let observatory = try fast.load()
        let reference = try general.load()
        precondition(observatory.entries.map(\.fingerprint) == reference.entries.map(\.fingerprint), "fast and general paths differ")
        for entry in observatory.entries {
            guard case .success(let project) = entry.project else { continue }
            _ = try BilanRenderer(templates: templates).render(project: project, achievement: Achievement(project: project))
        }
    } catch {
        precondition(error.kind == .input, "unexpected failure kind \(error.kind): \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzObservatory(bytes(data, size))
    return 0
}

@_cdecl("fuzz_observatory_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}
