import Foundation

/// Refuses logins for a while after repeated failures, per account and per address.
///
/// Kept in memory: a restart forgets it, which is acceptable for a brake on guessing.
actor LoginThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// The keys of one attempt: the account and the address it came from.
    static func keys(email: String, address: String) -> [String] {
        ["compte:" + email, "adresse:" + address]
    }

    /// Whether any key had `limit` failures within the window.
    func isBlocked(_ keys: [String], now: Date = Date()) -> Bool {
        keys.contains { key in recent(key, now: now).count >= limit }
    }

    func recordFailure(_ keys: [String], now: Date = Date()) {
        for key in keys { failures[key] = recent(key, now: now) + [now] }
    }

    /// A success clears the account's failures (not the address's).
    func recordSuccess(email: String) {
        failures["compte:" + email] = nil
    }

    private func recent(_ key: String, now: Date) -> [Date] {
        (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
    }
}
