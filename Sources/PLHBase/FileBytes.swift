#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, read-only, for the readers that walk tens of megabytes once (the observatory's production table,
/// the batch's stamp): a large file is mapped rather than copied into fresh memory, which spares the system a copy of
/// every byte and a zeroed page for every 4 KB (a third of a one-change national re-run's processor time went there).
/// A small file is read into an array, as a mapping would cost more than it saves.
///
/// The mapping is private and populated at once; a file truncated by another program while it is mapped can still
/// stop the process (SIGBUS), as with every tool that maps its input: the batch writes nothing while it reads, so no
/// output is left half-written.
public final class FileBytes: @unchecked Sendable {
    /// Files from this size on are mapped.
    public static let mappingThreshold = 1 << 20

    /// The bytes, valid as long as this object lives.
    public let buffer: UnsafeBufferPointer<UInt8>
    /// The memory of its own `buffer` is in (freed at the end), nil when it is a mapping (unmapped).
    private let owned: UnsafeMutablePointer<UInt8>?

    /// A copy of bytes already in memory (tests, and small files).
    public init(_ bytes: [UInt8]) {
        let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = memory.initialize(from: bytes)
        buffer = UnsafeBufferPointer(start: memory.baseAddress, count: bytes.count)
        owned = memory.baseAddress
    }

    private init(mapping: UnsafeMutableRawPointer, length: Int) {
        buffer = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: length)
        owned = nil
    }

    deinit {
        if let owned {
            owned.deallocate()
        } else if let base = buffer.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        }
    }

    public var count: Int { buffer.count }

    /// The bytes of the file at `path`, or nil when it cannot be opened or read.
    public static func read(atPath path: String, mapping: Bool = true) -> FileBytes? {
        withOpenFile(path) { fd, size, mappable -> FileBytes? in
            if mapping, mappable, let address = map(fd, offset: 0, length: size) { return FileBytes(mapping: address, length: size) }
            return readWhole(fd, size: size).map(FileBytes.init)
        } ?? nil
    }

    /// The bytes of the file at `path`, read into an array (never mapped), or nil when it cannot be opened or read.
    public static func contents(atPath path: String) -> [UInt8]? {
        withOpenFile(path) { fd, size, _ in readWhole(fd, size: size) } ?? nil
    }

    /// `body` with the file opened, its size, and whether it is a regular file large enough to be mapped; nil when
    /// it cannot be opened or its size is unknown.
    private static func withOpenFile<T>(_ path: String, _ body: (Int32, Int, Bool) -> T) -> T? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        return body(fd, size, size >= mappingThreshold && (status.st_mode & S_IFMT) == S_IFREG)
    }

    /// A private, read-only mapping of `length` bytes from `offset`, populated at once; nil when it fails.
    private static func map(_ fd: Int32, offset: Int, length: Int) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, length, PROT_READ, flags, fd, off_t(offset)), address != MAP_FAILED else { return nil }
        return address
    }

    /// Gives a file's bytes to `body` in order, a few megabytes at a time: mapped windows of a large file, each
    /// unmapped before the next, so that a process reading a file once never holds more than a window of it (a
    /// mapping counts in the process's memory like an array would). False when it cannot be read.
    /// `mapping: false` reads every window as a file system that cannot map files makes it (for tests).
    public static func windows(atPath path: String, window: Int = 8 << 20, mapping: Bool = true,
                               _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        withOpenFile(path) { fd, size, mappable -> Bool in
            guard mappable else {
                guard let bytes = readWhole(fd, size: size) else { return false }
                bytes.withUnsafeBufferPointer(body)
                return true
            }
            var offset = 0
            while offset < size {
                // Windows start at multiples of the window, itself a multiple of the page size.
                let length = min(window, size - offset)
                if mapping, let address = map(fd, offset: offset, length: length) {
                    body(UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: length))
                    munmap(address, length)
                } else {
                    // A file system that cannot map the file: the window is read instead, so that no byte is left out.
                    var bytes = [UInt8](repeating: 0, count: length)
                    var read = 0
                    while read < length {
                        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + read, length - read, off_t(offset + read)) }
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { return false }
                        read += n
                    }
                    bytes.withUnsafeBufferPointer(body)
                }
                offset += length
            }
            return true
        } ?? false
    }

    /// A descriptor's bytes, read into an array: the announced size in one read, then on to the end should the file
    /// have grown meanwhile.
    static func readWhole(_ fd: Int32, size: Int) -> [UInt8]? {
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: max(size, 0)) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true }
                guard n > 0 else { break }
                count += n
            }
        }
        if failed { return nil }
        var more = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = systemRead(fd, &more, more.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return bytes }
            bytes += more[0..<n]
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
