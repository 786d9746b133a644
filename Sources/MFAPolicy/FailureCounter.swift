/// Consecutive failed attempts at one factor of one member, and the lock they lead to
/// (NIST SP 800-63B §5.2.2: at most 100 consecutive failures).
public struct FailureCounter: Sendable, Hashable, Codable {
    /// The most consecutive failures allowed before the factor locks; 100 by default, never more.
    public let limit: Int
    public private(set) var consecutiveFailures: Int
    public private(set) var isLocked: Bool

    /// A counter with no failures.
    public init(limit: Int = 100, consecutiveFailures: Int = 0, isLocked: Bool = false) {
        self.limit = max(1, min(limit, 100))
        self.consecutiveFailures = consecutiveFailures
        self.isLocked = isLocked
    }

    /// Whether an attempt may be made now.
    ///
    /// - Throws: ``PolicyError/locked(_:)``.
    public func checkAllowed(_ kind: FactorKind) throws(PolicyError) {
        if self.isLocked { throw .locked(kind) }
    }

    /// Records a failed attempt; returns the audit events (a failure, and a lock at the limit).
    public mutating func recordFailure(_ kind: FactorKind) -> [AuditEvent] {
        guard !self.isLocked else { return [.failed(kind)] }
        self.consecutiveFailures += 1
        if self.consecutiveFailures >= self.limit {
            self.isLocked = true
            return [.failed(kind), .locked(kind)]
        }
        return [.failed(kind)]
    }

    /// Records a success: the count starts again.
    public mutating func recordSuccess(_ kind: FactorKind) -> [AuditEvent] {
        self.consecutiveFailures = 0
        return [.succeeded(kind)]
    }

    /// Lifts the lock (an admin, or the member with a recovery code).
    public mutating func unlock(_ kind: FactorKind, by unlocker: AuditEvent.Unlocker) -> [AuditEvent] {
        guard self.isLocked else { return [] }
        self.isLocked = false
        self.consecutiveFailures = 0
        return [.unlocked(kind, by: unlocker)]
    }
}

/// Something that happened to a member's factors, for the audit log.
public enum AuditEvent: Sendable, Hashable, Codable {
    /// Who lifted a lock.
    public enum Unlocker: String, Sendable, Hashable, Codable {
        case admin
        case recoveryCode = "recovery-code"
    }

    case enrolled(FactorKind)
    case removed(FactorKind)
    case succeeded(FactorKind)
    case failed(FactorKind)
    case locked(FactorKind)
    case unlocked(FactorKind, by: Unlocker)
    case recoveryCodeIssued
    case recoveryCodeUsed
    case mfaTurnedOff

    /// A short name for logs and the API (`enrolled`, `failed`, …).
    public var name: String {
        switch self {
        case .enrolled: return "enrolled"
        case .removed: return "removed"
        case .succeeded: return "succeeded"
        case .failed: return "failed"
        case .locked: return "locked"
        case .unlocked: return "unlocked"
        case .recoveryCodeIssued: return "recovery_code_issued"
        case .recoveryCodeUsed: return "recovery_code_used"
        case .mfaTurnedOff: return "mfa_turned_off"
        }
    }
}
