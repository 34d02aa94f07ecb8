import Foundation
import PLHModel
import Testing
@testable import PLHBase
@testable import PLHPackage

@Suite struct OutputWriterTests {
    func temporary() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plh-bilan-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Issue 11, defect 14: two writers of one output removed each other's staging folder as a leftover, so that
    /// both said they succeeded while files were missing, or one failed. Many writers in one process, at once:
    /// each succeeds, and the folder is always one whole write.
    @Test func concurrentWritersOfOneFolderAllSucceed() throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(at: root) }
        let destination = root.appendingPathComponent("cc")
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var messages: [String] = []
            func add(_ m: String) { lock.lock(); messages.append(m); lock.unlock() }
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<40 {
                let tag = "\(worker)-\(round)"
                let files: [(path: String, bytes: [UInt8])] = [
                    ("bilan.html", Array("bilan \(tag)".utf8)),
                    ("annexes/production-communes.csv", Array("production \(tag)".utf8)),
                    ("annexes/realisation-communes.csv", Array("realisation \(tag)".utf8)),
                ]
                do {
                    try OutputWriter().write(files, to: destination, display: "cc")
                } catch {
                    failures.add("\(tag): \(error)")
                }
                // Whatever is there is complete and from one write.
                let html = FileManager.default.contents(atPath: destination.path + "/bilan.html").map { String(decoding: $0, as: UTF8.self) }
                let csv = FileManager.default.contents(atPath: destination.path + "/annexes/production-communes.csv")
                    .map { String(decoding: $0, as: UTF8.self) }
                if let html, let csv, html.dropFirst(6) != csv.dropFirst(11) {
                    // Another writer may have swapped in between the two reads: only a missing file is a failure.
                } else if html == nil || csv == nil {
                    failures.add("\(tag): a file is missing")
                }
            }
        }
        #expect(failures.messages.isEmpty, "\(failures.messages.prefix(5))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["cc"], "no staging folder is left")
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path + "/annexes").sorted()
                == ["production-communes.csv", "realisation-communes.csv"])
    }

    @Test func concurrentWritersOfOneFileAllSucceed() throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(at: root) }
        let destination = root.appendingPathComponent("bilan.zip")
        final class Count: @unchecked Sendable { let lock = NSLock(); var failed = 0 }
        let count = Count()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<40 {
                do { try OutputWriter().writeFile(Array("archive \(worker)".utf8), to: destination, display: "bilan.zip") } catch {
                    count.lock.lock(); count.failed += 1; count.lock.unlock()
                }
            }
        }
        #expect(count.failed == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bilan.zip"])
    }

    /// Leftovers go when their process is gone or when they are old; a live writer's stay.
    @Test func onlyStaleLeftoversAreRemoved() throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(at: root) }
        let mine = root.appendingPathComponent(".cc.tmp-\(getpid())-1")
        let gone = root.appendingPathComponent(".cc.tmp-999999999-2")
        let old = root.appendingPathComponent(".cc.tmp-\(getpid())-3")
        for url in [mine, gone, old] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * OutputWriter.staleAge)], ofItemAtPath: old.path)
        OutputWriter().removeLeftovers(in: root, prefix: ".cc.tmp-")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [mine.lastPathComponent])
    }
}
