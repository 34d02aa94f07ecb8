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
