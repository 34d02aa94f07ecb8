import Foundation
import FuzzSupport
import PLHBilan

/// The input is a Sitadel file, an approvals file and its mapping, separated by NUL bytes, imported into a
/// CALL project made once by `init` (with a small COG, so that each run stays quick). Each import must
/// succeed or fail with located input errors, never crash; and a project an import wrote must still load.
let root = FileManager.default.temporaryDirectory.appendingPathComponent("plh-fuzz-import-\(getpid())")
let project = root.appendingPathComponent("projet")
let inputs = root.appendingPathComponent("entrees")
let names = ["PC_DAU.csv", "agrements.csv", "correspondance.yaml"]
let fixedDate = RunSettings(sourceDateEpoch: 1_700_000_000)

/// The project as `init` left it, written back before each run.
let pristine: [(String, Data)] = {
    try? FileManager.default.removeItem(at: root)
    var initialiser = ProjectInitialiser()
    initialiser.settings = fixedDate
    _ = try! initialiser.run(folder: project.path, siren: "246200364", period: 2014...2020)
    let enumerator = FileManager.default.enumerator(atPath: project.path)!
    var files: [(String, Data)] = []
    while let path = enumerator.nextObject() as? String {
        if let data = FileManager.default.contents(atPath: project.appendingPathComponent(path).path) { files.append((path, data)) }
    }
    return files
}()

/// Lens, Liévin and a commune merged into Isbergues, with the COG's header.
let cog: URL = {
    let url = root.appendingPathComponent("cog.csv")
    let text = """
    TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT
    COM,62498,32,62,62D,622,0,LENS,Lens,Lens,6299,
    COM,62510,32,62,62D,622,0,LIEVIN,Liévin,Liévin,6299,
    COM,62473,32,62,62D,622,0,ISBERGUES,Isbergues,Isbergues,6299,
    COMD,62582,32,62,62D,622,0,MOLINGHEM,Molinghem,Molinghem,,62473
    COM,2A004,94,2A,2AD,2A1,0,AJACCIO,Ajaccio,Ajaccio,2A98,

    """
    try! Data(text.utf8).write(to: url)
    return url
}()

func check(_ error: BilanError) {
    precondition(error.kind == .input || error.kind == .usage, "unexpected failure kind \(error.kind): \(error)")
    precondition(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { !$0.message.isEmpty })
}

func fuzzImport(_ bytes: [UInt8]) {
    for (path, data) in pristine {
        let url = project.appendingPathComponent(path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! data.write(to: url)
    }
    writeParts(bytes, names: names, into: inputs)
    var sitadel = SitadelImporter(projectFolder: project.path)
    sitadel.cog = cog
    sitadel.settings = fixedDate
    do { _ = try sitadel.run(file: inputs.appendingPathComponent(names[0]).path, stage: .autorises) } catch { check(error) }
    var approvals = ApprovalImporter(projectFolder: project.path)
    approvals.cog = cog
    approvals.settings = fixedDate
    do {
        _ = try approvals.run(file: inputs.appendingPathComponent(names[1]).path, mapping: inputs.appendingPathComponent(names[2]).path)
    } catch {
        check(error)
    }
    do {
        _ = try ProjectLoader(folder: ProjectFolder(project.path)).load()
    } catch {
        preconditionFailure("an import left a project that does not load: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzImport(bytes(data, size))
    return 0
}

@_cdecl("fuzz_import_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}
