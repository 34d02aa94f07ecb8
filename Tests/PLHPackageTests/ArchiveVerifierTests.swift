import Foundation
import PLHBase
import PLHModel
import Testing
@testable import PLHPackage

/// Archives made in memory by the project's own ZIP writer, with a manifest written by hand in
/// `SubmissionPackage.manifestJSON`'s format.
@Suite struct ArchiveVerifierTests {
    static let time = FixedTime(bilanDate: CalendarDate(year: 2023, month: 6, day: 30)!, environment: [:])

    /// The manifest of `files`, with or without the parts `verify` requires.
    static func manifest(_ files: [(path: String, bytes: [UInt8])], epci: Bool = true, generator: Bool = true) -> [UInt8] {
        var parts: [String] = []
        if epci { parts.append(#""epci": {"nom": "CA de Lens-Liévin", "siren": "246200364"}"#) }
        let list = files.map { #"{"chemin": "\#($0.path)", "octets": \#($0.bytes.count), "sha256": "\#(SHA256.hex($0.bytes))"}"# }
        parts.append(#""fichiers": [\#(list.joined(separator: ", "))]"#)
        if generator { parts.append(#""generateur": {"nom": "PLH Bilan", "version": "1.0.0"}"#) }
        return Array(("{" + parts.joined(separator: ", ") + "}\n").utf8)
    }

    /// An archive of `files` and of `manifest` (the manifest of `files` when nil).
    static func archive(_ files: [(path: String, bytes: [UInt8])], manifest: [UInt8]? = nil) throws -> [UInt8] {
        var zip = ZipWriter(time: time)
        for file in files { try zip.add(path: file.path, contents: file.bytes) }
        try zip.add(path: SubmissionPackage.manifestName, contents: manifest ?? Self.manifest(files))
        return try zip.finish()
    }

    static let bilan: (path: String, bytes: [UInt8]) = ("bilan.html", Array("<!DOCTYPE html>\n<title>Bilan</title>\n".utf8))

    /// Sets the uncompressed size of the first entry, in its local header and its central directory record.
    static func declare(_ size: UInt32, firstEntryOf archive: inout [UInt8]) {
        func put(_ offset: Int) {
            for i in 0..<4 { archive[offset + i] = UInt8(truncatingIfNeeded: size >> UInt32(8 * i)) }
        }
        put(22)
        let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let record = (0...(archive.count - 4)).first { Array(archive[$0..<$0 + 4]) == central }!
        put(record + 24)
    }

    @Test func aPackageLikeArchiveIsValid() throws {
        let files = [Self.bilan, ("annexes/production.csv", Array("code;logements\r\n62498;12\r\n".utf8))]
        let report = ArchiveVerifier().verify(data: Data(try Self.archive(files)))
        #expect(report.problems == [])
        #expect(report.checkedFiles == 2)
    }

    /// Issue 11, defect 16: ten entries of 500 MB of zeros in a 5 MB archive exhausted `verify`'s memory, since
    /// every entry was held whole. The same shape, scaled down with small caps: refused from the declared sizes,
    /// before anything is inflated. Before the fix there was no total limit: all entries were read and held.
    @Test func zipBombIsRefusedFromItsDeclaredTotal() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let files = [Self.bilan] + (1...5).map { ("projet/zeros-\($0).bin", zeros) }
        let bytes = try Self.archive(files)
        #expect(bytes.count < 200_000, "zeros deflate to a few kilobytes")
        var verifier = ArchiveVerifier()
        verifier.fileLimit = 8 << 20
        verifier.totalLimit = 10 << 20
        let report = verifier.verify(data: Data(bytes))
        let announced = 5 * zeros.count + Self.bilan.bytes.count + Self.manifest(files).count
        #expect(report.problems == [
            "archive refusée : ses fichiers annoncent \(ArchiveVerifier.size(announced)) une fois décompressés, "
                + "au-delà de la limite de 10\u{202F}485\u{202F}760 octets",
        ])
        #expect(!report.isValid && report.checkedFiles == 0)
        // Under the limits, the same archive is read (streamed) and valid.
        verifier.totalLimit = 32 << 20
        #expect(verifier.verify(data: Data(bytes)).problems == [])
    }

    /// Issue 11, defect 16: declared sizes can lie. An entry announcing 1 000 bytes that inflates to 4 MB is
    /// stopped while streaming, as soon as it passes its declared size; before the fix the check only
    /// compared with the declared size, which the test could not reach below the limits.
    @Test func entryLargerThanItsDeclaredSizeIsStoppedWhileStreaming() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let small = [UInt8](repeating: 0, count: 1000)
        // The manifest agrees with the lie: only the inflated bytes can tell.
        let manifest = Self.manifest([("projet/zeros.bin", small), Self.bilan])
        var bytes = try Self.archive([("projet/zeros.bin", zeros), Self.bilan], manifest: manifest)
        Self.declare(1000, firstEntryOf: &bytes)
        var verifier = ArchiveVerifier()
        verifier.fileLimit = 1 << 20
        verifier.totalLimit = 2 << 20
        let report = verifier.verify(data: Data(bytes))
        #expect(report.problems == ["entrée « projet/zeros.bin » refusée : elle se décompresse en plus d'octets que sa taille annoncée"])
    }

    /// Issue 11, defect 16: an entry the manifest does not list is reported without being read: here it is
    /// corrupt (wrong CRC), which reading would have reported as well.
    @Test func unlistedEntriesAreNotRead() throws {
        let extra: (path: String, bytes: [UInt8]) = ("extra.bin", [UInt8](repeating: 7, count: 5000))
        var bytes = try Self.archive([extra, Self.bilan], manifest: Self.manifest([Self.bilan]))
        bytes[14] ^= 0xFF  // the first entry's CRC, in its local header
        let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let record = (0...(bytes.count - 4)).first { Array(bytes[$0..<$0 + 4]) == central }!
        bytes[record + 16] ^= 0xFF
        let report = ArchiveVerifier().verify(data: Data(bytes))
        #expect(report.problems == ["fichier en trop, absent du manifeste : extra.bin"])
    }

    /// Issue 11, defect 16: a manifest listing no file passed (« 0 fichiers vérifiés », exit 0), and so did one
    /// without `bilan.html`, the EPCI's identity or the generator. Before the fix all four were valid.
    @Test func manifestMustDescribeABilan() throws {
        let other: (path: String, bytes: [UInt8]) = ("notes.txt", Array("notes".utf8))
        let cases: [(String, [UInt8], [(path: String, bytes: [UInt8])])] = [
            ("manifest.json ne liste aucun fichier : rien à vérifier", Self.manifest([]), []),
            ("manifest.json ne liste pas bilan.html : ce n'est pas l'archive d'un bilan", Self.manifest([other]), [other]),
            ("manifest.json sans l'identité de l'EPCI (« epci » : « nom » et « siren »)", Self.manifest([Self.bilan], epci: false), [Self.bilan]),
            ("manifest.json sans son générateur (« generateur » : « nom » et « version »)",
             Self.manifest([Self.bilan], generator: false), [Self.bilan]),
        ]
        for (expected, manifest, files) in cases {
            let report = ArchiveVerifier().verify(data: Data(try Self.archive(files, manifest: manifest)))
            #expect(report.problems == [expected])
            #expect(!report.isValid && report.checkedFiles == 0)
        }
    }

    /// Issue 11, defect 22: entry names are quoted in messages printed to the terminal, without their
    /// control characters (here an escape sequence that would clear the screen).
    @Test func entryNamesReachMessagesWithoutControlCharacters() throws {
        let hostile: (path: String, bytes: [UInt8]) = ("a\u{1B}[2Jb.txt", Array("x".utf8))
        let report = ArchiveVerifier().verify(data: Data(try Self.archive([hostile, Self.bilan], manifest: Self.manifest([Self.bilan]))))
        #expect(report.problems == ["entrée « ab.txt » refusée : caractère de contrôle dans le nom"])
    }
}
