/// The rules that bind a tenant's settings to its members' factors. Pure logic: it decides, the
/// caller stores.
public struct EnrollmentPolicy: Sendable, Hashable {
    /// The tenant's settings.
    public var tenant: TenantSettings

    /// Creates the policy for `tenant`.
    public init(tenant: TenantSettings) {
        self.tenant = tenant
    }

    /// What enrolling a factor does besides adding it.
    public struct EnrollmentOutcome: Sendable, Hashable {
        /// A recovery code is issued now (the member's first factor): show it once.
        public var issueRecoveryCode: Bool
    }

    /// Whether `member` may enroll a factor of `kind`.
    ///
    /// - Throws: ``PolicyError/factorNotEnabled(_:)``, ``PolicyError/smsNeedsPaidPlan``,
    ///   ``PolicyError/platformAuthenticatorNeedsAnotherFactor``, ``PolicyError/recoveryCodeIsNotEnrolled``.
    public func enroll(_ kind: FactorKind, for member: MemberFactors) throws(PolicyError) -> EnrollmentOutcome {
        guard kind != .recoveryCode else { throw .recoveryCodeIsNotEnrolled }
        guard self.tenant.enabledFactors.contains(kind) else { throw .factorNotEnabled(kind) }
        if kind == .sms && self.tenant.plan != .paid { throw .smsNeedsPaidPlan }
        if kind == .platformAuthenticator
            && !member.enrollments.contains(where: { $0.kind.isAuthenticator && $0.kind != .platformAuthenticator })
        {
            throw .platformAuthenticatorNeedsAnotherFactor
        }
        return EnrollmentOutcome(issueRecoveryCode: !member.mfaEnabled && !member.hasRecoveryCode)
    }

    /// What removing a factor does.
    public struct RemovalOutcome: Sendable, Hashable {
        /// Every enrollment removed: the one asked for, and platform authenticators that would
        /// otherwise be left as the only factor.
        public var removed: [Enrollment]
        /// The member's factors afterwards.
        public var remaining: MemberFactors
        /// MFA went off for the member (the last factor went; the recovery code goes with it).
        public var mfaTurnedOff: Bool
    }

    /// Removes enrollment `id` from `member`.
    ///
    /// - Throws: ``PolicyError/noSuchEnrollment``, ``PolicyError/lastFactorWhileMFARequired``
    ///   when the tenant requires MFA and nothing would be left.
    public func remove(_ id: String, from member: MemberFactors) throws(PolicyError) -> RemovalOutcome {
        guard let target = member.enrollments.first(where: { $0.id == id }) else { throw .noSuchEnrollment }
        var remaining = member.enrollments.filter { $0.id != id }
        var removed = [target]
        // Biometrics cannot stay as the only factor: they go with the last other one.
        if !remaining.contains(where: { $0.kind.isAuthenticator && $0.kind != .platformAuthenticator }) {
            removed += remaining.filter { $0.kind == .platformAuthenticator }
            remaining.removeAll { $0.kind == .platformAuthenticator }
        }
        let mfaTurnedOff = member.mfaEnabled && !remaining.contains(where: \.kind.isAuthenticator)
        if mfaTurnedOff && self.tenant.requireMFA { throw .lastFactorWhileMFARequired }
        return RemovalOutcome(
            removed: removed,
            remaining: MemberFactors(
                enrollments: remaining,
                hasRecoveryCode: mfaTurnedOff ? false : member.hasRecoveryCode
            ),
            mfaTurnedOff: mfaTurnedOff
        )
    }

    /// Advice shown on the member's MFA page.
    public enum Warning: String, Sendable, Hashable, CaseIterable {
        /// One factor and no recovery code: losing it locks the member out.
        case mayLoseAccess = "may_lose_access"
        /// No security key, push or OTP factor.
        case addPrimaryFactor = "add_primary_factor"
        /// Only one factor: add a backup (SMS where the plan allows, or a second key).
        case addBackupFactor = "add_backup_factor"
        /// MFA on but no recovery code.
        case saveRecoveryCode = "save_recovery_code"
        /// The tenant requires MFA and the member has none yet.
        case enrollRequired = "enroll_required"

        /// The sentence shown.
        public var message: String {
            switch self {
            case .mayLoseAccess:
                return "You have a single factor and no recovery code: you may lose access to this account."
            case .addPrimaryFactor:
                return "Add a security key, push approval or an authenticator app as your main factor."
            case .addBackupFactor: return "Add a backup factor in case you lose this one."
            case .saveRecoveryCode: return "Generate a recovery code and keep it somewhere safe."
            case .enrollRequired: return "Your organisation requires MFA: enroll a factor to continue."
            }
        }
    }

    /// The warnings for `member`, most important first.
    public func warnings(for member: MemberFactors) -> [Warning] {
        let authenticators = member.enrollments.filter(\.kind.isAuthenticator)
        guard !authenticators.isEmpty else {
            return self.tenant.requireMFA ? [.enrollRequired] : []
        }
        var warnings: [Warning] = []
        if authenticators.count == 1 && !member.hasRecoveryCode { warnings.append(.mayLoseAccess) }
        if !authenticators.contains(where: \.kind.isPrimary) { warnings.append(.addPrimaryFactor) }
        if authenticators.count == 1 { warnings.append(.addBackupFactor) }
        if !member.hasRecoveryCode { warnings.append(.saveRecoveryCode) }
        return warnings
    }

    /// The factors `member` could add now, for the "Add a factor" list (platform
    /// authenticators only once another factor exists).
    public func enrollableFactors(for member: MemberFactors) -> [FactorKind] {
        FactorKind.allCases.filter { kind in (try? self.enroll(kind, for: member)) != nil }
    }
}
