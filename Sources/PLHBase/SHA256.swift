import CCodecs

/// SHA-256 (FIPS 180-4) for the submission manifest and the batch's stamps, computed by OpenSSL's
/// libcrypto (which uses the processor's SHA instructions where it has them).
public enum SHA256 {
    /// The hexadecimal digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ digestHex($0) }) { return digest }
        return Array(bytes).withUnsafeBufferPointer { digestHex($0) }
    }

    private static func digestHex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        plh_sha256(bytes.baseAddress, bytes.count, &digest)
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
