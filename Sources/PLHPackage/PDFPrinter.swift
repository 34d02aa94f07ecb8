import Foundation
import PLHBase
import PLHModel

/// Prints an HTML document to PDF with headless Chromium, when it is installed.
public struct PDFPrinter: Sendable {
    /// The browser found on this machine.
    public let executable: String

    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// With the variables of `environment` (given, never read from the process).
    public init(environment: [String: String]) throws(BilanError) {
        try self.init(settings: RunSettings(environment: environment))
    }

    /// Finds Chromium in the settings' search path (or the one they force); a clear French error says how to
    /// install it otherwise.
    public init(settings: RunSettings = RunSettings()) throws(BilanError) {
        if let forced = settings.chromium {
            guard FileManager.default.isExecutableFile(atPath: forced) else {
                throw BilanError(.missingTool, at: nil, "PLH_CHROMIUM désigne « \(forced) », qui n'est pas un programme exécutable")
            }
            executable = forced
            return
        }
        for name in Self.candidates {
            for folder in settings.searchPath where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                executable = "\(folder)/\(name)"
                return
            }
        }
        throw BilanError(.missingTool, at: nil, "Chromium est introuvable : il faut un navigateur Chromium pour produire le PDF",
                         hint: "installez-le (Debian, Ubuntu : sudo apt-get install chromium) puis relancez, ou retirez --pdf ; le HTML s'imprime aussi en PDF depuis un navigateur")
    }

    /// The PDF of `html`, printed from a temporary copy; made reproducible (see `normalise`).
    public func pdf(of html: String, time: FixedTime) throws(BilanError) -> [UInt8] {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("plh-bilan-pdf-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: folder) }
        let source = folder.appendingPathComponent("bilan.html")
        let target = folder.appendingPathComponent("bilan.pdf")
        let process = Process()
        let errors = Pipe()
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: source)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                 "--user-data-dir=\(folder.appendingPathComponent("profil").path)",
                                 "--print-to-pdf=\(target.path)", source.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            _ = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        } catch {
            throw BilanError(.missingTool, at: nil, "impossible de lancer \(executable) : \(systemErrorText(error, path: executable))")
        }
        guard process.terminationStatus == 0, let data = fm.contents(atPath: target.path), data.starts(with: Array("%PDF".utf8)) else {
            throw BilanError(.missingTool, at: nil, "Chromium n'a pas produit de PDF (code \(process.terminationStatus))",
                             hint: "vérifiez que « \(executable) --headless » fonctionne sur cette machine")
        }
        return Self.normalise([UInt8](data), folder: folder.absoluteString, time: time)
    }

    /// Chromium writes the printing time and the temporary folder (in links to the annexes) into the PDF.
    /// Both are replaced in place, keeping every byte offset: the dates by the fixed time, each
    /// `(file:///tmp/…/annexes/x.csv)` by `(annexes/x.csv)` followed by spaces, which PDF syntax ignores.
    static func normalise(_ pdf: [UInt8], folder: String, time: FixedTime) -> [UInt8] {
        var bytes = pdf
        let digits = Array(time.digits.utf8)
        for key in ["/CreationDate (D:", "/ModDate (D:"] {
            for start in occurrences(of: Array(key.utf8), in: bytes) {
                let from = start + key.utf8.count
                if from + 14 <= bytes.count, bytes[from..<from + 14].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    bytes.replaceSubrange(from..<from + 14, with: digits)
                }
            }
        }
        let prefix = Array(("(" + (folder.hasSuffix("/") ? folder : folder + "/")).utf8)
        for start in occurrences(of: prefix, in: bytes) {
            guard let close = bytes[(start + prefix.count)...].firstIndex(of: UInt8(ascii: ")")) else { continue }
            let relative = Array(bytes[(start + prefix.count)..<close])
            let replacement = [UInt8(ascii: "(")] + relative + [UInt8(ascii: ")")]
                + [UInt8](repeating: 0x20, count: prefix.count - 1)
            bytes.replaceSubrange(start...close, with: replacement)
        }
        return bytes
    }

    static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return [] }
        var found: [Int] = []
        var i = 0
        let first = pattern[0]
        while i <= bytes.count - pattern.count {
            if bytes[i] == first && bytes[i..<i + pattern.count].elementsEqual(pattern) {
                found.append(i)
                i += pattern.count
            } else {
                i += 1
            }
        }
        return found
    }
}
