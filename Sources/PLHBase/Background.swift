import Foundation

/// A value computed on another thread, waited for when needed.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchGroup()

    public init(_ work: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.done.leave()
        }
    }

    public init(_ value: Value) {
        result = value
    }

    public var value: Value {
        done.wait()
        return result!
    }
}

/// `(0..<count).map(transform)`, spread over every core; the results keep their order.
public func parallelMap<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer {
        _ = results.deinitialize()
        results.deallocate()
    }
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = transform(i) }
    return results.map { $0! }
}
