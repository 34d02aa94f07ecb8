import CCodecs
import Foundation
import Testing
@testable import PLHPackage
import PLHBase
import PLHModel

/// Test vectors from FIPS 180-4 examples and NIST's SHA-256 short messages.
@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func slicesAndNonContiguousCollectionsGiveTheSameDigest() {
        let bytes = Array((0..<1000).map { UInt8($0 % 251) })
        #expect(SHA256.hex(bytes[10..<900]) == SHA256.hex(Array(bytes[10..<900])))
        #expect(SHA256.hex(bytes.lazy.map { $0 }) == SHA256.hex(bytes))
        #expect(SHA256.hex(bytes) != SHA256.hex(bytes.dropLast()))
    }

    /// Every length from 0 to 299 bytes (each padding case: a block filled to 55, 56, 63 or 64 bytes, one, two or
    /// more blocks), through the processor's SHA instructions when it has them and through the plain rounds: the
    /// digests of all these lengths, end to end, hash to the value Python's hashlib gives.
    @Test func everyLengthThroughBothWays() {
        let data = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        func digest(_ count: Int, plain: Bool) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            data.withUnsafeBufferPointer { bytes in
                if plain { plh_sha256_plain(bytes.baseAddress, count, &out) } else { plh_sha256(bytes.baseAddress, count, &out) }
            }
            return out
        }
        for plain in [false, true] {
            let all = (0..<300).flatMap { digest($0, plain: plain) }
            #expect(SHA256.hex(all) == "82d1c86ef5eb80a2f7cb650e4770f5293bdbe86a5b577e54026c9295bbcf0e8d", "plain: \(plain)")
            #expect(lowercaseHex(digest(data.count, plain: plain)) == "3500f58cfd1bd88e231edf56dca995542a702bd54525804e5a8604c8aa5cb52e")
            #expect(lowercaseHex(digest(65_536 + 55, plain: plain)) == "b219ade3e4020720c019ad460a782ffeced9377dd2fb4ae0689901b52bccf3b3")
        }
    }

    /// The instructions are used exactly when the processor has them, as Linux lists its features.
    @Test func instructionsChosenWhenTheProcessorHasThem() throws {
        #if os(Linux) && arch(x86_64)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set((info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ").map(String.init))
        let has = flags.isSuperset(of: ["sha_ni", "sse4_1", "ssse3"])
        #expect(plh_sha256_uses_instructions() == (has ? 1 : 0))
        #else
        #expect(plh_sha256_uses_instructions() == 0)
        #endif
    }

    /// A stream fed in pieces of every awkward size (a byte, a block less one, a block, a block and one, many
    /// blocks) gives the digest of the whole.
    @Test func piecesGiveTheDigestOfTheWhole() {
        let data = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for size in [1, 3, 55, 63, 64, 65, 127, 1000, 8192] {
            let stream = SHA256.Stream()
            var offset = 0
            data.withUnsafeBytes { bytes in
                while offset < bytes.count {
                    let end = min(offset + size, bytes.count)
                    stream.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                    offset = end
                }
            }
            #expect(stream.finish() == "3500f58cfd1bd88e231edf56dca995542a702bd54525804e5a8604c8aa5cb52e", "pieces of \(size)")
        }
    }
}
