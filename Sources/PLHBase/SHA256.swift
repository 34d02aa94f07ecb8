import CCodecs
import PLHModel

/// SHA-256 (FIPS 180-4) for the submission manifest, imports and the EPCI stamps, computed in CCodecs (sha256.c)
/// through the processor's SHA instructions where it has them.
public enum SHA256 {
    /// The hexadecimal digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ digestHex($0) }) { return digest }
        return Array(bytes).withUnsafeBufferPointer { digestHex($0) }
    }

    /// The hexadecimal digest of a file's bytes, mapped a window at a time (`FileBytes.windows`): the batch's stamp
    /// reads tens of megabytes without copying them, and without holding more than a window of them at once. Nil
    /// when it cannot be read.
    public static func fileHex(atPath path: String) -> String? {
        let stream = Stream()
        guard FileBytes.windows(atPath: path, { stream.update(UnsafeRawBufferPointer($0)) }) else { return nil }
        return stream.finish()
    }

    /// SHA-256 of data given in pieces, without holding them: `update` each piece, then `finish`.
    public final class Stream {
        private var state: OpaquePointer?

        public init() {
            state = plh_sha256_begin()
        }

        deinit {
            if let state { plh_sha256_end(state, nil) }
        }

        public func update(_ bytes: UnsafeRawBufferPointer) {
            guard let state, let base = bytes.baseAddress else { return }
            plh_sha256_update(state, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }

        /// The hexadecimal digest of everything given; nil if the state could not be allocated. The stream ends here.
        public func finish() -> String? {
            guard let state else { return nil }
            self.state = nil
            var digest = [UInt8](repeating: 0, count: 32)
            plh_sha256_end(state, &digest)
            return lowercaseHex(digest)
        }
    }

    private static func digestHex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        plh_sha256(bytes.baseAddress, bytes.count, &digest)
        return lowercaseHex(digest)
    }
}
