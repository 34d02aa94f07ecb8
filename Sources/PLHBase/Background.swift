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

    /// The value, which this no longer holds: whoever takes it holds the last reference.
    public func take() -> Value {
        done.wait()
        defer { result = nil }
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

/// Lets go of `value` on another thread. A national load ends with tens of thousands of small allocations (communes,
/// rows, strings) that nothing needs any more: dropped here, they are freed while the thread that made them goes on,
/// not before it can. The caller gives up its own references first (`take`).
public func dropOnTheSide<T>(_ value: consuming T) {
    let box = DroppedBox(value)
    DispatchQueue.global(qos: .utility).async { box.value = nil }
}

/// `value`, leaving `empty` in its place: the caller's reference is gone, so whoever receives it holds the last one.
public func take<T>(_ value: inout T, leaving empty: T) -> T {
    let taken = value
    value = empty
    return taken
}

private final class DroppedBox<T>: @unchecked Sendable {
    var value: T?
    init(_ value: consuming T) { self.value = value }
}
