import CCodecs
import PLHModel
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// SHA-256 (FIPS 180-4) for the submission manifest and the batch's stamps, computed by OpenSSL's
/// libcrypto (which uses the processor's SHA instructions where it has them).
public enum SHA256 {
    /// The hexadecimal digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ digestHex($0) }) { return digest }
        return Array(bytes).withUnsafeBufferPointer { digestHex($0) }
    }

    /// The hexadecimal digest of a file's bytes, read a piece at a time into one buffer: the batch's stamp reads tens
    /// of megabytes this way without asking the system for as much fresh memory. Nil when it cannot be read.
    public static func fileHex(atPath path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let stream = Stream()
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return stream.finish() }
            buffer.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
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

        /// The hexadecimal digest of everything given; nil if libcrypto failed. The stream ends here.
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
