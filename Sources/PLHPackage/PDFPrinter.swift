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

    /// The PDF of `html`, printed from a temporary copy, with bookmarks (the document's outline) and the page
    /// of each entry in the table of contents: a first print gives the page of every anchor, which the second
    /// print writes beside its entry (out of the flow, so that no page moves). Made reproducible (see `normalise`).
    public func pdf(of html: String, time: FixedTime) throws(BilanError) -> [UInt8] {
        let first = try printOnce(html, time: time)
        let numbered = Self.numberTableOfContents(html, pages: Self.anchorPages(first))
        return numbered == html ? first : try printOnce(numbered, time: time)
    }

    /// One print of `html` by Chromium, headless, tagged, with its outline.
    func printOnce(_ html: String, time: FixedTime) throws(BilanError) -> [UInt8] {
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
                                 "--generate-pdf-document-outline",
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

    /// The page (from 1) of each named destination of a PDF printed by Chromium: the element identifiers its
    /// links point to (`cadrage`, `orientation-1-global`). Reads the `/Dests` dictionary and the page tree,
    /// whose dictionaries Chromium writes uncompressed; an unexpected structure gives no page, never a failure.
    static func anchorPages(_ pdf: [UInt8]) -> [String: Int] {
        let text = String(decoding: pdf, as: Unicode.ASCII.self)
        /// The dictionary of object `number`, up to `endobj`.
        func object(_ number: Int) -> Substring? {
            guard let start = text.range(of: "\n\(number) 0 obj") else { return nil }
            guard let end = text.range(of: "endobj", range: start.upperBound..<text.endIndex) else { return nil }
            return text[start.upperBound..<end.lowerBound]
        }
        /// The object numbers of `[a 0 R b 0 R …]` after `key` in `dictionary`.
        func references(_ key: String, in dictionary: Substring) -> [Int] {
            guard let at = dictionary.range(of: key + " ["), let close = dictionary[at.upperBound...].firstIndex(of: "]") else { return [] }
            let words = dictionary[at.upperBound..<close].split(separator: " ")
            return stride(from: 0, to: words.count - 2, by: 3).compactMap { words[$0 + 2] == "R" ? Int(words[$0]) : nil }
        }
        /// The object number of `/key N 0 R` in `dictionary`.
        func reference(_ key: String, in dictionary: Substring) -> Int? {
            dictionary.range(of: key + " ").flatMap { Int(dictionary[$0.upperBound...].prefix { $0.isNumber }) }
        }
        // The catalog names the page tree's root and the named destinations.
        guard let catalogAt = text.range(of: "/Type /Catalog"),
              let catalogEnd = text.range(of: "endobj", range: catalogAt.upperBound..<text.endIndex),
              let catalogStart = text[..<catalogAt.lowerBound].range(of: " obj", options: .backwards) else { return [:] }
        let catalog = text[catalogStart.upperBound..<catalogEnd.lowerBound]
        guard let root = reference("/Pages", in: catalog) else { return [:] }
        var pageNumbers: [Int: Int] = [:]
        var visiting = [root]
        var order: [Int] = []
        // Depth first, in the order of /Kids: the reading order of the pages.
        while let node = visiting.popLast(), order.count < 100_000 {
            guard let body = object(node) else { continue }
            if body.contains("/Type /Pages") {
                visiting += references("/Kids", in: body).reversed()
            } else {
                order.append(node)
            }
        }
        for (index, node) in order.enumerated() { pageNumbers[node] = index + 1 }
        guard let number = reference("/Dests", in: catalog), let dests = object(number) else { return [:] }
        var result: [String: Int] = [:]
        for line in dests.split(whereSeparator: { $0 == "\n" || $0 == "<" }) where line.hasPrefix("/") {
            let parts = line.dropFirst().split(separator: " ", maxSplits: 2)
            guard parts.count == 3, parts[1].hasPrefix("["), let page = Int(parts[1].dropFirst()), let n = pageNumbers[page] else { continue }
            result[String(parts[0])] = n
        }
        return result
    }

    /// `html` with the page of each entry of its table of contents (`<nav class="sommaire">`, links to `#id`)
    /// written in the link: `<span class="page-sommaire">4</span>`. Unchanged without a table or pages.
    static func numberTableOfContents(_ html: String, pages: [String: Int]) -> String {
        guard !pages.isEmpty, let nav = html.range(of: "<nav class=\"sommaire\""),
              let end = html.range(of: "</nav>", range: nav.upperBound..<html.endIndex) else { return html }
        var table = String(html[nav.lowerBound..<end.upperBound])
        for (anchor, page) in pages {
            let link = "<a href=\"#\(anchor)\">"
            guard let at = table.range(of: link), let close = table.range(of: "</a>", range: at.upperBound..<table.endIndex) else { continue }
            table.replaceSubrange(close, with: "<span class=\"page-sommaire\">\(page)</span></a>")
        }
        return html.replacingCharacters(in: nav.lowerBound..<end.upperBound, with: table)
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
