/// A growing buffer of bytes, for writers that append many short pieces (a chart's SVG elements, a CSV's cells, a
/// document's template pieces). `Array.append(contentsOf:)` costs about 170 instructions a call where it is not
/// inlined (a national batch makes 7 million such calls); here a piece is one capacity check and one copy, inlined
/// into the writer.
public struct ByteBuffer: Sendable {
    /// Allocated bytes: the first `count` are written, the rest wait to be (never read: they are not cleared).
    @usableFromInline var storage: [UInt8]
    @usableFromInline var used = 0
    /// How many bytes are written.
    public var count: Int { used }

    public init(capacity: Int = 4096) {
        storage = Self.allocate(Swift.max(capacity, 16))
    }

    @inlinable @inline(__always)
    public mutating func append(_ start: UnsafePointer<UInt8>, count n: Int) {
        if used + n > storage.count { grow(to: used + n) }
        let at = used
        storage.withUnsafeMutableBufferPointer { ($0.baseAddress! + at).update(from: start, count: n) }
        used += n
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        if used == storage.count { grow(to: used + 1) }
        let at = used
        storage.withUnsafeMutableBufferPointer { $0[at] = byte }
        used += 1
    }

    @inlinable @inline(__always)
    public mutating func append(_ literal: StaticString) {
        append(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        append(base, count: bytes.count)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    public mutating func append(_ other: ByteBuffer) {
        other.storage.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[..<other.used])) }
    }

    /// The text's UTF-8 bytes: read in place where the string holds them contiguously (a native string does), without
    /// the copy, and its retain and release, that `withUTF8` needs.
    public mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        var copy = text
        copy.withUTF8 { append($0) }
    }

    /// The bytes written, read in place.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[..<used])) }
    }

    /// The bytes written, the buffer given up (no copy).
    public consuming func finish() -> [UInt8] {
        storage.removeSubrange(used...)
        return storage
    }

    @usableFromInline
    mutating func grow(to minimum: Int) {
        var larger = Self.allocate(Swift.max(minimum, storage.count * 2))
        let written = used
        storage.withUnsafeBufferPointer { old in
            larger.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: old.baseAddress!, count: written) }
        }
        storage = larger
    }

    /// `size` bytes whose values do not matter: UInt8 has no invalid value, and only written bytes are read.
    static func allocate(_ size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
    }
}
