import Foundation
import PLHBase
import Testing

/// Large inputs are mapped, not copied: the bytes, the digests and the windows are those of the file whatever its size.
struct FileBytesTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "plh-filebytes-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Bytes that differ from one window to the next (not a repeated page), of a size that is no multiple of a page.
    func sample(_ count: Int) -> [UInt8] {
        var state: UInt32 = 2_463_534_242
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test(arguments: [0, 1, 4_095, FileBytes.mappingThreshold - 1, FileBytes.mappingThreshold, 3 * FileBytes.mappingThreshold + 777])
    func bytesAndDigestAreTheFiles(_ size: Int) throws {
        let bytes = sample(size)
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let file = try #require(FileBytes.read(atPath: path))
        #expect(file.count == size)
        #expect(Array(file.buffer) == bytes)
        #expect(SHA256.fileHex(atPath: path) == SHA256.hex(bytes))
        // Windows of one mapping threshold (a multiple of the page size): in order, each byte once.
        var seen: [UInt8] = [], windows = 0
        #expect(FileBytes.windows(atPath: path, window: FileBytes.mappingThreshold) { seen += $0; windows += 1 })
        #expect(seen == bytes)
        #expect(windows == (size < FileBytes.mappingThreshold ? 1 : (size + FileBytes.mappingThreshold - 1) / FileBytes.mappingThreshold))
        // Where a file system cannot map the file, the same bytes are read instead.
        var read: [UInt8] = []
        #expect(FileBytes.windows(atPath: path, window: FileBytes.mappingThreshold, mapping: false) { read += $0 })
        #expect(read == bytes)
        #expect(FileBytes.read(atPath: path, mapping: false).map { Array($0.buffer) } == bytes)
    }

    @Test func theEmptyFilesDigestIsSHA256sOwn() throws {
        let path = try temporaryFile([])
        defer { unlink(path) }
        #expect(SHA256.fileHex(atPath: path) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func aMissingFileOrAFolderIsNotRead() throws {
        let missing = NSTemporaryDirectory() + "plh-filebytes-missing-\(UUID().uuidString)"
        #expect(FileBytes.read(atPath: missing) == nil)
        #expect(SHA256.fileHex(atPath: missing) == nil)
        #expect(FileBytes.read(atPath: NSTemporaryDirectory()) == nil)
        #expect(!FileBytes.windows(atPath: NSTemporaryDirectory()) { _ in })
    }

    @Test func bytesInMemoryAreCopied() {
        var bytes: [UInt8] = [1, 2, 3]
        let file = FileBytes(bytes)
        bytes[0] = 9
        #expect(Array(file.buffer) == [1, 2, 3])
        #expect(FileBytes([]).count == 0)
    }
}

/// What is dropped on the side is freed there, once the caller has let go of it.
struct DropOnTheSideTests {
    final class Tracked: @unchecked Sendable {
        let freed: DispatchSemaphore
        let thread: UnsafeMutablePointer<pthread_t>
        init(_ freed: DispatchSemaphore, _ thread: UnsafeMutablePointer<pthread_t>) { self.freed = freed; self.thread = thread }
        deinit {
            thread.pointee = pthread_self()
            freed.signal()
        }
    }

    @Test func theLastReferenceIsDroppedOnAnotherThread() {
        let freed = DispatchSemaphore(value: 0)
        let thread = UnsafeMutablePointer<pthread_t>.allocate(capacity: 1)
        defer { thread.deallocate() }
        var values = [Tracked(freed, thread), Tracked(freed, thread)]
        // As the batch does: what `take` returns goes straight to the side, no name holding it here.
        dropOnTheSide(take(&values, leaving: []))
        #expect(values.isEmpty)
        #expect(freed.wait(timeout: .now() + 10) == .success)
        #expect(freed.wait(timeout: .now() + 10) == .success)
        #expect(pthread_equal(thread.pointee, pthread_self()) == 0, "freed by the thread that dropped it, not by the caller")
    }

    @Test func aTakenBackgroundValueIsNoLongerHeld() {
        let freed = DispatchSemaphore(value: 0)
        let thread = UnsafeMutablePointer<pthread_t>.allocate(capacity: 1)
        defer { thread.deallocate() }
        let pointer = Unchecked(thread)
        let background = Background { [freed] in Unchecked(Tracked(freed, pointer.value)) }
        weak var held: Tracked?
        do {
            let value = background.take()
            held = value.value
            #expect(held != nil)
        }
        #expect(held == nil, "the Background kept no reference once its value was taken")
        withExtendedLifetime(background) {}
    }
}

/// Hands a non-Sendable test value through a Background.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The batch's stamp checksum is XXH64 as published: the values the reference implementation (Python's `xxhash`)
/// gives, for every length through each of its paths (stripes of 32 bytes, words of 8, a word of 4, single bytes).
struct ChecksumTests {
    @Test func xxh64IsThePublishedOne() {
        #expect(Checksum.xxh64([]) == 0xEF46_DB37_51D8_E999)
        #expect(Checksum.xxh64(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(Checksum.xxh64(Array("abc".utf8), seed: 1) == 0xBEA9_CA81_9932_8908)
        #expect(Checksum.xxh64(Array("Programme local de l'habitat".utf8), seed: 42) == 0x7374_E95D_02F1_5766)
        let stripes = (0..<768).map { UInt8($0 % 256) }
        #expect(Checksum.xxh64(stripes) == 0x8E03_C838_C596_036F)
        #expect(Checksum.xxh64(stripes, seed: 0x9E37_79B9_7F4A_7C15) == 0x919E_1C78_9D52_2E91)
        let expected: [(Int, UInt64)] = [
            (4, 0x8e0e5dcb6e4c4a2e), (7, 0x5952098bba4e3e1c), (8, 0xbc36e05bdafc3df7), (31, 0x4b620437708c3ea9),
            (32, 0xb483e00f1dd67337), (33, 0xbb0f5983c203f593), (36, 0xdf9a8d0bb19a6e1b), (39, 0xef72b87f14f7737b),
            (63, 0xbf5e1c4fa32c6e24), (64, 0xac7714c41ec053a0), (100, 0x708dc77abb05ec00), (1000, 0x208be8caf3f789af),
        ]
        for (count, value) in expected {
            #expect(Checksum.xxh64((0..<count).map { UInt8(($0 * 7 + 3) % 256) }, seed: 5) == value, "\(count) bytes")
        }
    }

    @Test func aFilesChecksumSeesEveryByteAndItsLength() throws {
        // One byte changed anywhere, in the first or a later window, or one more byte: another checksum.
        let size = 2 * FileBytes.mappingThreshold + 5
        var bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = NSTemporaryDirectory() + "plh-checksum-\(UUID().uuidString)"
        defer { unlink(path) }
        func checksum() throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            // Windows of 1 MiB: the file is read in three.
            let small = try #require(Checksum.fileHex(atPath: path, window: FileBytes.mappingThreshold))
            #expect(Checksum.fileHex(atPath: path) != nil)
            return small
        }
        let original = try checksum()
        #expect(original.count == 32)
        #expect(try checksum() == original, "the same bytes, the same checksum")
        var seen: Set<String> = [original]
        for position in [0, FileBytes.mappingThreshold - 1, FileBytes.mappingThreshold, size - 1] {
            bytes[position] ^= 1
            #expect(seen.insert(try checksum()).inserted, "byte \(position)")
            bytes[position] ^= 1
        }
        bytes.append(0)
        #expect(seen.insert(try checksum()).inserted, "a byte more")
        #expect(Checksum.fileHex(atPath: path + "-absent") == nil)
    }
}
