/// A tenant's MFA settings: which factors its members may use, its plan, and whether MFA is
/// mandatory.
public struct TenantSettings: Sendable, Hashable, Codable {
    /// The subscription plan; SMS needs a paid one.
    public enum Plan: String, Sendable, Hashable, Codable, CaseIterable {
        case free
        case paid
    }

    public var enabledFactors: Set<FactorKind>
    public var plan: Plan
    public var requireMFA: Bool

    /// Creates settings (not yet validated: see ``validated()``).
    public init(enabledFactors: Set<FactorKind>, plan: Plan = .free, requireMFA: Bool = false) {
        self.enabledFactors = enabledFactors
        self.plan = plan
        self.requireMFA = requireMFA
    }

    /// The settings, if an admin may save them.
    ///
    /// - Throws: ``PolicyError/noFactorEnabled`` when MFA is on for the tenant (required, or any
    ///   factor listed) with no authenticator factor, ``PolicyError/smsNeedsPaidPlan``,
    ///   ``PolicyError/platformAuthenticatorCannotBeOnlyFactor``.
    public func validated() throws(PolicyError) -> TenantSettings {
        let authenticators = self.enabledFactors.filter(\.isAuthenticator)
        if authenticators.isEmpty && (self.requireMFA || !self.enabledFactors.isEmpty) {
            throw .noFactorEnabled
        }
        if self.enabledFactors.contains(.sms) && self.plan != .paid {
            throw .smsNeedsPaidPlan
        }
        if authenticators == [.platformAuthenticator] {
            throw .platformAuthenticatorCannotBeOnlyFactor
        }
        return self
    }

    /// Whether members can use MFA at all.
    public var mfaAvailable: Bool { self.enabledFactors.contains(where: \.isAuthenticator) }
}
