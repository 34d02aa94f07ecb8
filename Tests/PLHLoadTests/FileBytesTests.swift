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
