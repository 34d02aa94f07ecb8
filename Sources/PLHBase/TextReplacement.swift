extension String {
    /// Every occurrence of `target` replaced by `replacement`, compared byte for byte (UTF-8): what Foundation's
    /// `replacingOccurrences(of:with:)` does for a literal, without its bridging through NSString (a chart's SVG
    /// took 4 M instructions that way).
    public func replacingBytes(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let first = needle.first else { return self }
        let insert = Array(replacement.utf8)
        var out: [UInt8] = []
        var found = false
        withContiguousUTF8 { bytes in
            out.reserveCapacity(bytes.count)
            var i = 0, copied = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    found = true
                    out.append(contentsOf: bytes[copied..<i])
                    out.append(contentsOf: insert)
                    i += needle.count
                    copied = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: bytes[copied...])
        }
        return found ? String(decoding: out, as: UTF8.self) : self
    }

    /// The UTF-8 bytes, contiguous (a bridged or lazily made string is copied once).
    func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = self
        return copy.withUTF8(body)
    }
}
