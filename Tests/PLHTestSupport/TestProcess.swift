import Foundation

/// Runs a program for a test and waits for it: its exit status and what it printed.
public enum TestProcess {
    /// Standard output, with standard error joined to it unless `separateErrors` (then standard error is dropped,
    /// for tools whose warnings would mix with their output). `environment` replaces the process's when given.
    public static func run(_ program: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil, separateErrors: Bool = false) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = separateErrors ? FileHandle.nullDevice : pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
