import Crypto
public import Foundation

/// One SMS code sent to a member: kept only as a salted hash, valid for five minutes, accepted
/// once, and dead after five wrong tries.
public struct SMSChallenge: Sendable, Hashable, Codable {
    public var id: String
    public var phone: PhoneNumber
    public var salt: [UInt8]
    /// SHA-256(salt ‖ code).
    public var codeHash: [UInt8]
    public var createdAt: Date
    public var expiresAt: Date
    public var failedAttempts: Int
    public var consumed: Bool

    /// How long a code lives.
    public static let lifetime: TimeInterval = 300
    /// Wrong tries allowed per code.
    public static let maximumAttempts = 5

    /// A new challenge and the code to send (the code itself is not kept).
    public static func issue(to phone: PhoneNumber, at now: Date = Date(), id: String = UUID().uuidString)
        -> (challenge: SMSChallenge, code: String)
    {
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let challenge = SMSChallenge(
            id: id,
            phone: phone,
            salt: salt,
            codeHash: Self.hash(code, salt: salt),
            createdAt: now,
            expiresAt: now.addingTimeInterval(Self.lifetime),
            failedAttempts: 0,
            consumed: false
        )
        return (challenge, code)
    }

    /// The outcome of typing a code.
    public enum Verification: Sendable, Hashable {
        case accepted
        case wrongCode(attemptsLeft: Int)
        case expired
        case tooManyAttempts
        case alreadyUsed
    }

    /// Checks `code` and returns the challenge as it must be stored afterwards (consumed, or one
    /// more failure). The caller stores it in the same transaction that reads it.
    public func verify(_ code: String, at now: Date = Date()) -> (Verification, SMSChallenge) {
        var next = self
        if self.consumed { return (.alreadyUsed, next) }
        if now >= self.expiresAt { return (.expired, next) }
        if self.failedAttempts >= Self.maximumAttempts { return (.tooManyAttempts, next) }
        let candidate = Self.hash(code.trimmingCharacters(in: .whitespaces), salt: self.salt)
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, self.codeHash) { difference |= a ^ b }
        if difference == 0 && candidate.count == self.codeHash.count {
            next.consumed = true
            return (.accepted, next)
        }
        next.failedAttempts += 1
        let left = Self.maximumAttempts - next.failedAttempts
        return (left > 0 ? .wrongCode(attemptsLeft: left) : .tooManyAttempts, next)
    }

    static func hash(_ code: String, salt: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: salt + Array(code.utf8)))
    }
}
