/// A fast 128-bit fingerprint of a sequence of fields (two FNV-1a lanes with different seeds), to tell
/// whether an EPCI's inputs changed since its last render. Not cryptographic: the archives use SHA-256.
///
/// The methods are inlinable and concrete (no generic sequence): they run once per byte of every input.
public struct Fingerprint: Sendable {
    @usableFromInline var a: UInt64 = 0xcbf2_9ce4_8422_2325
    @usableFromInline var b: UInt64 = 0x6c62_272e_07bb_0142
    @usableFromInline static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init() {}

    @inlinable
    public mutating func add(_ fields: String...) {
        for field in fields { add(field) }
    }

    @inlinable
    public mutating func add(_ field: String) {
        var field = field
        field.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    @inlinable
    public mutating func add(_ number: Int) {
        withUnsafeBytes(of: number.littleEndian) { add($0) }
    }

    /// Adds one field's bytes, then a separator that cannot come from UTF-8 text, so that "ab","c" differs from "a","bc".
    @inlinable
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var a = self.a, b = self.b
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* Self.prime
            b = (b ^ UInt64(byte ^ 0x5c)) &* Self.prime
        }
        self.a = (a ^ 0xff) &* Self.prime
        self.b = (b ^ 0xfe) &* Self.prime
    }

    /// Adds a 64-bit word at once (a packed record), mixed by multiplication in each lane: eight times fewer
    /// multiplications than its bytes one by one.
    @inlinable
    public mutating func add(word: UInt64) {
        a = (a ^ word) &* 0x9E37_79B9_7F4A_7C15
        a ^= a >> 31
        b = (b ^ (word &* 0xC2B2_AE3D_27D4_EB4F)) &* Self.prime
        b ^= b >> 29
    }

    /// 32 hexadecimal digits (lower case): the two lanes, most significant digit first.
    public var hex: String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for k in 0..<8 {
            bytes[k] = UInt8(truncatingIfNeeded: a >> UInt64(56 - 8 * k))
            bytes[8 + k] = UInt8(truncatingIfNeeded: b >> UInt64(56 - 8 * k))
        }
        return lowercaseHex(bytes)
    }
}

/// Two lower-case hexadecimal digits for each byte, written as bytes (digests and fingerprints are made by the
/// thousand in a batch).
public func lowercaseHex(_ bytes: [UInt8]) -> String {
    String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
        for (k, byte) in bytes.enumerated() {
            let high = byte >> 4, low = byte & 0xF
            out[2 * k] = high < 10 ? 0x30 + high : 0x57 + high
            out[2 * k + 1] = low < 10 ? 0x30 + low : 0x57 + low
        }
        return 2 * bytes.count
    }
}
