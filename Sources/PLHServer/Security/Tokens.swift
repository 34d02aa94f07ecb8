import Foundation
import PLHBase

/// Random tokens for links, cookies and forms, and the hash under which the database keeps them.
enum Token {
    /// 32 random bytes from the system's generator, as 64 hexadecimal digits.
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// What the database stores instead of the token: its SHA-256.
    static func hash(_ token: String) -> String {
        SHA256.hex(Array(token.utf8))
    }

    /// Compares two strings in a time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
