/// A rule of the enrollment policy that an action would break, with a sentence for people.
public enum PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    case noFactorEnabled
    case smsNeedsPaidPlan
    case platformAuthenticatorCannotBeOnlyFactor
    case factorNotEnabled(FactorKind)
    case platformAuthenticatorNeedsAnotherFactor
    case lastFactorWhileMFARequired
    case noSuchEnrollment
    case recoveryCodeIsNotEnrolled
    case locked(FactorKind)
    /// The MFA grace period is outside 0…``TenantSettings/maximumGracePeriodDays`` days.
    case invalidGracePeriod

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .noFactorEnabled: return "no_factor_enabled"
        case .smsNeedsPaidPlan: return "sms_needs_paid_plan"
        case .platformAuthenticatorCannotBeOnlyFactor: return "platform_authenticator_only_factor"
        case .factorNotEnabled: return "factor_not_enabled"
        case .platformAuthenticatorNeedsAnotherFactor: return "platform_authenticator_needs_another_factor"
        case .lastFactorWhileMFARequired: return "last_factor_mfa_required"
        case .noSuchEnrollment: return "no_such_enrollment"
        case .recoveryCodeIsNotEnrolled: return "recovery_code_not_enrolled"
        case .locked: return "factor_locked"
        case .invalidGracePeriod: return "invalid_grace_period"
        }
    }

    public var description: String {
        switch self {
        case .noFactorEnabled: return "Enable at least one factor before turning MFA on."
        case .smsNeedsPaidPlan: return "SMS codes are available on paid plans only."
        case .platformAuthenticatorCannotBeOnlyFactor:
            return "This device's biometrics cannot be the only factor: enable another one too."
        case .factorNotEnabled(let kind): return "The factor \(kind.rawValue) is not enabled for this tenant."
        case .platformAuthenticatorNeedsAnotherFactor:
            return "Enroll another factor first; this device's biometrics can be added after that."
        case .lastFactorWhileMFARequired:
            return "This tenant requires MFA: enroll another factor before removing the last one."
        case .noSuchEnrollment: return "There is no such factor on this account."
        case .recoveryCodeIsNotEnrolled:
            return "The recovery code is issued with the first factor, not enrolled on its own."
        case .locked(let kind):
            return "Too many failed attempts: \(kind.rawValue) is locked until an admin or a recovery code unlocks it."
        case .invalidGracePeriod:
            return "The grace period is 0 to \(TenantSettings.maximumGracePeriodDays) days."
        }
    }
}
