/// A fast 128-bit fingerprint of a sequence of fields (two FNV-1a lanes with different seeds), to tell
/// whether an EPCI's inputs changed since its last render. Not cryptographic: the archives use SHA-256.
public struct Fingerprint: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init() {}

    public mutating func add(_ fields: String...) {
        for field in fields { add(field.utf8) }
    }

    public mutating func add<C: Sequence>(_ bytes: C) where C.Element == UInt8 {
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* Self.prime
            b = (b ^ UInt64(byte ^ 0x5c)) &* Self.prime
        }
        // A field separator that cannot come from UTF-8 text, so that "ab","c" differs from "a","bc".
        a = (a ^ 0xff) &* Self.prime
        b = (b ^ 0xfe) &* Self.prime
    }

    /// 32 hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for word in [a, b] {
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((word >> UInt64(shift)) & 0xF)]) }
        }
        return out
    }
}
