public import Foundation
import MFAPolicy

/// The JSON bodies of the API (documented in `openapi.yaml`).
public enum APIModels {
    /// `POST /api/session`.
    public struct SignInRequest: Codable, Sendable {
        public var email: String
        public var password: String
    }

    /// The state of the session after a sign-in step.
    public struct SessionState: Codable, Sendable, Hashable {
        /// `signed_in`, `mfa_required`, or `enrollment_required` (the tenant requires MFA and
        /// the member has none: only enrollment and sign-out are open); encoded as its raw value.
        public var state: Session.State
        /// The factor kinds the member can use now (for `mfa_required`) or has enrolled.
        public var factors: [String]
        /// The CSRF token of the (new) session.
        public var csrfToken: String
        /// A new recovery code to show once (after one was used).
        public var newRecoveryCode: String?
        /// When a member of a tenant that requires MFA, with no factor yet, must have enrolled
        /// one (the end of the grace period; past it the session is `enrollment_required`).
        public var enrollBy: Date? = nil
    }

    /// `POST /api/session/step-up`.
    public struct StepUpRequest: Codable, Sendable {
        /// `otp`, `recovery-code`, or `password` (only for a member with no second factor).
        public var factor: String
        public var code: String?
        public var password: String?
    }

    /// `GET /api/csrf`.
    public struct CSRFToken: Codable, Sendable, Hashable {
        public var csrfToken: String
    }

    /// A code typed by the member.
    public struct CodeRequest: Codable, Sendable {
        public var code: String
    }

    /// `POST /api/mfa/sms/send`.
    public struct SMSSent: Codable, Sendable, Hashable {
        public var maskedPhone: String
        public var expiresAt: Date
    }

    /// `POST /api/mfa/push/start`.
    public struct PushStarted: Codable, Sendable, Hashable {
        public var transactionId: String
        /// The number to type on the phone.
        public var number: Int
        public var expiresAt: Date
    }

    /// `GET /api/mfa/push/status`.
    public struct PushStatus: Codable, Sendable, Hashable {
        /// `pending`, `approved`, `denied` or `expired`.
        public var status: String
        /// The session's state: `signed_in` once approved.
        public var state: Session.State
        public var csrfToken: String?
    }

    /// One enrolled factor.
    public struct Factor: Codable, Sendable, Hashable {
        public var id: String
        public var kind: String
        public var name: String?
    }

    /// A warning about the member's factors.
    public struct Warning: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    /// `GET /api/me/factors`.
    public struct MemberFactorsResponse: Codable, Sendable, Hashable {
        public var mfaEnabled: Bool
        public var factors: [Factor]
        public var hasRecoveryCode: Bool
        public var warnings: [Warning]
        /// The kinds the member may enroll now.
        public var enrollable: [String]
        /// Whether the tenant requires MFA and the member has no factor yet.
        public var enrollmentRequired: Bool = false
        /// Until when the member may still do without one (the grace period's end).
        public var enrollBy: Date? = nil
    }

    /// `POST /api/me/factors/webauthn/options`.
    public struct WebAuthnEnrollmentRequest: Codable, Sendable {
        /// `cross-platform` (a security key) or `platform` (this device's biometrics).
        public var attachment: String
    }

    /// A completed enrollment: the factor, and the recovery code when it was the first factor.
    public struct Enrolled: Codable, Sendable, Hashable {
        public var factor: Factor
        public var recoveryCode: String?
        /// `signed_in` when this enrollment lifted an `enrollment_required` session: the
        /// answer then sets a new session cookie, with this CSRF token.
        public var state: String? = nil
        public var csrfToken: String? = nil
    }

    /// `POST /api/me/factors/totp`.
    public struct TOTPEnrollment: Codable, Sendable, Hashable {
        public var factorId: String
        public var uri: String
        /// The secret in Base32, for typing by hand.
        public var secret: String
        /// The URI as an SVG QR code.
        public var qrSvg: String
    }

    /// `POST /api/me/factors/sms`.
    public struct SMSEnrollmentRequest: Codable, Sendable {
        public var phone: String
    }

    /// `POST /api/me/factors/sms` answer.
    public struct SMSEnrollment: Codable, Sendable, Hashable {
        public var factorId: String
        public var maskedPhone: String
    }

    /// `POST /api/me/factors/push`.
    public struct PushEnrollment: Codable, Sendable, Hashable {
        public var ticketId: String
        public var uri: String
        public var qrSvg: String
        public var expiresAt: Date
    }

    /// `POST /api/me/recovery-code`.
    public struct RecoveryCodeIssued: Codable, Sendable, Hashable {
        public var recoveryCode: String
    }

    /// `DELETE /api/me/factors/{id}`.
    public struct Removed: Codable, Sendable, Hashable {
        public var removed: [Factor]
        public var mfaEnabled: Bool
    }

    /// A member in `GET /api/tenant/members`.
    public struct MemberSummary: Codable, Sendable, Hashable {
        public var id: String
        public var email: String
        public var displayName: String
        public var role: String
        public var mfaEnabled: Bool
        public var factorKinds: [String]
        public var warnings: [String]
    }

    /// `GET /api/tenant/members`.
    public struct MemberList: Codable, Sendable, Hashable {
        public var members: [MemberSummary]
    }

    /// `POST /api/tenant/members`.
    public struct NewMember: Codable, Sendable {
        public var email: String
        public var displayName: String?
        public var password: String
        public var role: String?
    }

    /// `GET|PUT /api/tenant/settings`.
    public struct Settings: Codable, Sendable, Hashable {
        public var enabledFactors: [String]
        public var plan: String
        public var requireMfa: Bool
        /// Days members without a factor may still sign in normally once MFA is required
        /// (0–90; left out: unchanged on a PUT, 0 for a new tenant).
        public var mfaGracePeriodDays: Int?

        init(enabledFactors: [String], plan: String, requireMfa: Bool, mfaGracePeriodDays: Int? = nil) {
            self.enabledFactors = enabledFactors
            self.plan = plan
            self.requireMfa = requireMfa
            self.mfaGracePeriodDays = mfaGracePeriodDays
        }

        init(_ settings: TenantSettings) {
            self.enabledFactors = settings.enabledFactors.sorted().map(\.rawValue)
            self.plan = settings.plan.rawValue
            self.requireMfa = settings.requireMFA
            self.mfaGracePeriodDays = settings.mfaGracePeriodDays
        }

        /// The policy's value, replacing `current` (whose grace period stays when none is given,
        /// and whose start of the MFA requirement stays while it stays on).
        ///
        /// - Throws: ``APIError`` for an unknown factor kind or plan.
        func settings(replacing current: TenantSettings, at now: Date) throws(APIError) -> TenantSettings {
            var settings = try self.settings()
            settings.mfaGracePeriodDays = self.mfaGracePeriodDays ?? current.mfaGracePeriodDays
            settings.requireMFASince = settings.requireMFA ? (current.requireMFA ? current.requireMFASince : now) : nil
            return settings
        }

        /// The policy's value.
        ///
        /// - Throws: ``APIError`` for an unknown factor kind or plan.
        func settings() throws(APIError) -> TenantSettings {
            var kinds: Set<FactorKind> = []
            for name in self.enabledFactors {
                guard let kind = FactorKind(rawValue: name) else { throw .badRequest("Unknown factor kind \(name).") }
                kinds.insert(kind)
            }
            guard let plan = TenantSettings.Plan(rawValue: self.plan) else {
                throw .badRequest("Unknown plan \(self.plan).")
            }
            return TenantSettings(enabledFactors: kinds, plan: plan, requireMFA: self.requireMfa)
        }
    }

    /// `POST /api/push/devices` (the phone).
    public struct DeviceRegistration: Codable, Sendable {
        public var ticket: String
        public var secret: String
        /// Base64url X9.63 P-256 point.
        public var publicKey: String
        public var pushToken: String
        public var name: String
    }

    /// `POST /api/push/devices` answer.
    public struct DeviceRegistered: Codable, Sendable, Hashable {
        public var deviceId: String
    }

    /// `POST /api/push/transactions/{id}/answer` (the phone).
    public struct DeviceAnswer: Codable, Sendable {
        public var deviceId: String
        public var approve: Bool
        public var number: Int
        /// Base64url DER ECDSA signature.
        public var signature: String
    }

    /// The answer's outcome.
    public struct DeviceAnswerOutcome: Codable, Sendable, Hashable {
        /// `approved`, `denied` or `number_mismatch`.
        public var outcome: String
    }

    /// One waiting request in `GET /api/push/inbox/{pushToken}`.
    public struct InboxEntry: Codable, Sendable, Hashable {
        public var transactionId: String
        public var browser: String
        public var ipAddress: String
        public var expiresAt: Date
    }

    /// `GET /api/push/inbox/{pushToken}`.
    public struct Inbox: Codable, Sendable, Hashable {
        public var transactions: [InboxEntry]
    }

    /// The error body.
    public struct ErrorBody: Codable, Sendable, Hashable {
        public struct Detail: Codable, Sendable, Hashable {
            public var code: String
            public var message: String
        }
        public var error: Detail
    }
}
