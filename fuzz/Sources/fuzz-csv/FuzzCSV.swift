import FuzzSupport
import PLHBilan

/// Any bytes are a CSV file: the reader must return consistent records or a located error, never crash.
func fuzzCSV(_ bytes: [UInt8]) {
    do {
        let document = try CSVDocument(bytes: bytes, path: "f.csv")
        for record in document.records {
            precondition(record.fields.count == record.columns.count)
            precondition(record.line >= 1)
        }
    } catch {
        precondition(error.diagnostics.allSatisfy { $0.location?.path == "f.csv" })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzCSV(bytes(data, size))
    return 0
}

@_cdecl("fuzz_csv_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}
