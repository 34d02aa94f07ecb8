import Foundation

/// Runs libFuzzer on `body`. SwiftPM links an executable's entry point under its own name
/// (`<target>_main`), so each fuzz target defines that name and hands over to libFuzzer's driver.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: FuzzCallback) -> CInt

public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: FuzzCallback) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// The bytes of one fuzz input.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Writes a fuzz input made of files separated by NUL bytes into `folder`, one file per name;
/// a name with no part left is removed, so that a missing file is fuzzed too.
public func writeParts(_ bytes: [UInt8], names: [String], into folder: URL) {
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let parts = bytes.split(separator: 0, maxSplits: names.count - 1, omittingEmptySubsequences: false)
    for (index, name) in names.enumerated() {
        let url = folder.appendingPathComponent(name)
        if index < parts.count {
            FileManager.default.createFile(atPath: url.path, contents: Data(parts[index]))
        } else {
            try? FileManager.default.removeItem(at: url)
        }
    }
}
