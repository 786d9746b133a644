public import Foundation
public import MFAStore

/// A browser session: anonymous (only a CSRF token), waiting for the second factor, or signed
/// in. The cookie carries a random token; the store keeps only its SHA-256, so a copy of the
/// database does not yield sessions.
public struct Session: ExpiringRecord, Sendable, Hashable {
    public static let recordKind = "session"

    /// Where the sign-in stands.
    public enum State: String, Codable, Sendable, Hashable {
        /// No one signed in: the session only carries the CSRF token.
        case anonymous
        /// The password was right; a second factor is due.
        case mfaRequired = "mfa_required"
        case signedIn = "signed_in"
        /// The password was right, but the tenant requires MFA and the member has no factor
        /// (and no grace period left): the session may only enroll one, read what enrollment
        /// needs, and sign out. The first enrolled factor turns it into a new signed-in session.
        case enrollmentRequired = "enrollment_required"
    }

    /// The factor ceremonies under way in this session, by purpose.
    public struct Pending: Codable, Sendable, Hashable {
        public var smsSignIn: String?
        public var pushSignIn: String?
        public var webAuthnEnrollment: String?
        public var totpEnrollment: String?
        public var smsEnrollment: String?
        public var smsEnrollmentFactor: String?
        /// Set by a sign-in with a recovery code: the new code, to show once.
        public var newRecoveryCode: String?
    }

    public var memberID: String?
    public var tenantID: String?
    public var state: State
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When the session last passed a second factor (or, for a member with no factor, its
    /// password): sensitive changes need this to be recent (step-up).
    public var mfaVerifiedAt: Date?
    /// What that verification used: a factor kind (`otp`, `security-key`, …), or `nil` for the
    /// password of a member who had no factor then. A password verification stops counting for a
    /// step-up once the member has a factor (enrolled in another session, say).
    public var mfaVerifiedBy: String?
    public var pending: Pending

    /// Whether the session has expired at `now`.
    public func isExpired(at now: Date) -> Bool { now >= self.expiresAt }
}
