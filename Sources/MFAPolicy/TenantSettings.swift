public import Foundation

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
    /// Days a member without a factor may still use the dashboard once MFA is required (0:
    /// none — such a member can only enroll a factor). At most ``maximumGracePeriodDays``.
    public var mfaGracePeriodDays: Int
    /// When MFA became required (the grace period of existing members counts from then).
    public var requireMFASince: Date?

    /// The longest grace period an admin may set.
    public static let maximumGracePeriodDays = 90

    /// Creates settings (not yet validated: see ``validated()``).
    public init(
        enabledFactors: Set<FactorKind>,
        plan: Plan = .free,
        requireMFA: Bool = false,
        mfaGracePeriodDays: Int = 0,
        requireMFASince: Date? = nil
    ) {
        self.enabledFactors = enabledFactors
        self.plan = plan
        self.requireMFA = requireMFA
        self.mfaGracePeriodDays = mfaGracePeriodDays
        self.requireMFASince = requireMFASince
    }

    enum CodingKeys: String, CodingKey {
        case enabledFactors, plan, requireMFA, mfaGracePeriodDays, requireMFASince
    }

    /// Decodes settings stored before the grace period existed as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.enabledFactors = try container.decode(Set<FactorKind>.self, forKey: .enabledFactors)
        self.plan = try container.decode(Plan.self, forKey: .plan)
        self.requireMFA = try container.decode(Bool.self, forKey: .requireMFA)
        self.mfaGracePeriodDays = try container.decodeIfPresent(Int.self, forKey: .mfaGracePeriodDays) ?? 0
        self.requireMFASince = try container.decodeIfPresent(Date.self, forKey: .requireMFASince)
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
        if !(0...Self.maximumGracePeriodDays).contains(self.mfaGracePeriodDays) {
            throw .invalidGracePeriod
        }
        return self
    }

    /// Whether members can use MFA at all.
    public var mfaAvailable: Bool { self.enabledFactors.contains(where: \.isAuthenticator) }
}
