import PLHBase
import Foundation
import PLHBilan

/// Progress of a batch: a bar redrawn in place on a terminal, a line every tenth otherwise.
final class ProgressDisplay: @unchecked Sendable {
    private let write: (String) -> Void
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastTenth = 0
    private let lock = NSLock()

    init(write: @escaping (String) -> Void) {
        self.write = write
    }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(start)
        if isTerminal {
            guard done == total || Date().timeIntervalSince(lastDraw) > 0.05 else { return }
            lastDraw = Date()
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let left = rate > 0 ? Double(total - done) / rate : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(bar) \(French.integer(done))/\(French.integer(total)) · \(French.number(rate, decimals: 0)) EPCI/s · reste \(French.number(left)) s ".utf8))
        } else {
            let tenth = total > 0 ? 10 * done / total : 10
            guard tenth > lastTenth || done == total else { return }
            lastTenth = tenth
            write("\(French.integer(done))/\(French.integer(total)) EPCI traités (\(French.number(elapsed)) s)")
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
