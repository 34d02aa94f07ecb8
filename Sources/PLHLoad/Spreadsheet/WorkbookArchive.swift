import Foundation
import PLHBase
import PLHModel
import ZIPFoundation

/// How much a workbook may take once inflated: a zip bomb (a few kilobytes that inflate to gigabytes) must be
/// refused, not read. Sizes are checked from the archive's directory first, then while inflating, since the
/// directory can lie.
public struct SpreadsheetLimits: Sendable {
    /// Largest part (one sheet, the shared strings), uncompressed, in bytes.
    public var entryBytes = 64 << 20
    /// Largest total of the parts read, uncompressed, in bytes.
    public var totalBytes = 256 << 20
    /// Most cells kept from the sheet (empty cells between filled ones count; trailing ones do not).
    public var cells = 5_000_000
    /// Most entries in the archive's directory.
    public var entries = 10_000

    public init() {}
}

/// The parts of a workbook (a ZIP archive), read in memory under `SpreadsheetLimits`.
struct WorkbookArchive {
    let path: String
    let limits: SpreadsheetLimits
    private let archive: Archive
    /// Entries by lower-cased name: parts are named case-insensitively (OPC).
    private var entries: [String: Entry] = [:]
    private var total = 0

    init(bytes: [UInt8], path: String, format: SpreadsheetFormat, limits: SpreadsheetLimits) throws(BilanError) {
        self.path = path
        self.limits = limits
        let location = SourceLocation(path: path)
        guard bytes.starts(with: [0x50, 0x4B]), let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
            if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw BilanError(.input, at: location,
                                 "ce classeur est au format Excel 97-2003 (.xls) ou protégé par un mot de passe : PLH Bilan ne le lit pas",
                                 hint: "ouvrez-le dans le tableur, retirez le mot de passe s'il y en a un et enregistrez-le au format .xlsx, .ods ou CSV")
            }
            if bytes.isEmpty {
                throw BilanError(.input, at: location, "le fichier est vide : ce n'est pas un classeur \(format.name)", hint: format.saveHint)
            }
            // Text with line breaks and no NUL byte: most likely a CSV file given the workbook's extension.
            let text = !bytes.prefix(4096).contains(0) && bytes.prefix(4096).contains(0x0A)
            throw BilanError(.input, at: location,
                             "ce fichier n'est pas un classeur \(format.name) : son contenu n'est pas une archive ZIP",
                             hint: text ? "c'est un fichier texte, sans doute un CSV : donnez-lui l'extension .csv, et ce nom dans fichiers: de plh.yaml"
                                        : format.saveHint)
        }
        self.archive = archive
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.entries else {
                throw BilanError(.input, at: location, "classeur refusé : plus de \(French.integer(limits.entries)) parties dans l'archive",
                                 hint: format.saveHint)
            }
            if entry.type == .file { entries[entry.path.lowercased()] = entry }
        }
    }

    func has(_ part: String) -> Bool { entries[part.lowercased()] != nil }

    /// The bytes of `part`, nil when the archive has no such part.
    mutating func read(_ part: String) throws(BilanError) -> [UInt8]? {
        guard let entry = entries[part.lowercased()] else { return nil }
        let location = SourceLocation(path: path)
        let hint = "un tableau du projet tient en quelques mégaoctets ; si celui-ci est vraiment si grand, enregistrez la feuille en CSV"
        let entryLimit = limits.entryBytes, totalLimit = limits.totalBytes
        if entry.uncompressedSize > UInt64(entryLimit) {
            throw BilanError(.input, at: location, "classeur refusé : la partie « \(part) » dépasse \(Self.size(entryLimit)) une fois décompressée", hint: hint)
        }
        if total + Int(entry.uncompressedSize) > totalLimit {
            throw BilanError(.input, at: location, "classeur refusé : ses parties dépassent \(Self.size(totalLimit)) une fois décompressées", hint: hint)
        }
        enum Overflow: Error { case entry, total }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        let before = total
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if bytes.count + chunk.count > entryLimit { throw Overflow.entry }
                if before + bytes.count + chunk.count > totalLimit { throw Overflow.total }
                bytes += chunk
            }
        } catch Overflow.entry {
            throw BilanError(.input, at: location, "classeur refusé : la partie « \(part) » dépasse \(Self.size(entryLimit)) une fois décompressée", hint: hint)
        } catch Overflow.total {
            throw BilanError(.input, at: location, "classeur refusé : ses parties dépassent \(Self.size(totalLimit)) une fois décompressées", hint: hint)
        } catch {
            throw BilanError(.input, at: location, "classeur illisible : la partie « \(part) » est altérée (décompression ou contrôle CRC en échec)",
                             hint: "ouvrez le fichier dans le tableur et enregistrez-le de nouveau")
        }
        total = before + bytes.count
        return bytes
    }

    /// `64 Mo`.
    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(French.integer(bytes >> 20)) Mo" : French.count(bytes, "octet")
    }
}
