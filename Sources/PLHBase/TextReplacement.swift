extension Array where Element == UInt8 {
    /// Every occurrence of `target` replaced by `replacement`, compared byte for byte (UTF-8): what Foundation's
    /// `replacingOccurrences(of:with:)` does for a literal, without its bridging through NSString (a chart's SVG
    /// took 4 M instructions that way).
    public func replacingBytes(_ target: String, with replacement: String) -> [UInt8] {
        withUnsafeBufferPointer { replacingUTF8(Array(target.utf8), with: Array(replacement.utf8), in: $0) } ?? self
    }
}

/// `bytes` with every occurrence of `needle` replaced by `insert`, or nil when there is none.
func replacingUTF8(_ needle: [UInt8], with insert: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    guard let first = needle.first, bytes.count >= needle.count else { return nil }
    var out: [UInt8] = []
    var found = false
    var i = 0, copied = 0
    let last = bytes.count - needle.count
    while i <= last {
        if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) {
            if !found { out.reserveCapacity(bytes.count + 64) }
            found = true
            out.append(contentsOf: bytes[copied..<i])
            out.append(contentsOf: insert)
            i += needle.count
            copied = i
        } else {
            i += 1
        }
    }
    guard found else { return nil }
    out.append(contentsOf: bytes[copied...])
    return out
}
