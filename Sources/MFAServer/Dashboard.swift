import Foundation
public import MFAFactors
import MFAPolicy
import MFAStore
import OTP
public import Push
import QRCode
import RecoveryCode

/// The dashboard's operations, shared by the JSON API and the pages: sign-in with a password
/// and a second factor, members managing their own factors, admins managing their tenant, and
/// the phone's device API. Every operation checks who is asking; none trusts the client.
public struct Dashboard: Sendable {
    public let accounts: Accounts
    public let sessions: SessionStore
    public let factors: FactorDirectory
    public let attempts: AttemptGuard
    /// Failed sign-ins per account and per client address.
    public let signInLimits: (account: RateLimiter, address: RateLimiter)
    /// Failed second-factor attempts per client address.
    public let mfaLimit: RateLimiter
    /// The local push inbox, when push goes through it (the simulator reads it).
    public let localPush: LocalPushNotifier?

    /// Creates the dashboard.
    public init(
        accounts: Accounts,
        factors: FactorDirectory,
        localPush: LocalPushNotifier? = nil,
        signInLimits: (account: RateLimiter, address: RateLimiter) = (
            RateLimiter(limit: 10, window: 900), RateLimiter(limit: 50, window: 300)
        ),
        mfaLimit: RateLimiter = RateLimiter(limit: 50, window: 300)
    ) {
        self.accounts = accounts
        self.sessions = SessionStore(store: accounts.store)
        self.factors = factors
        self.attempts = AttemptGuard(store: accounts.store)
        self.localPush = localPush
        self.signInLimits = signInLimits
        self.mfaLimit = mfaLimit
    }

    /// The member and tenant of a session that must be signed in.
    ///
    /// - Throws: ``APIError`` `not_signed_in`.
    func signedIn(_ session: Session?) async throws -> (Accounts.Member, Accounts.Tenant) {
        try await self.member(of: session, in: [.signedIn])
    }

    /// The member and tenant of a session waiting for its second factor (or signed in: a
    /// re-verification).
    func verifying(_ session: Session?) async throws -> (Accounts.Member, Accounts.Tenant) {
        try await self.member(of: session, in: [.mfaRequired, .signedIn])
    }

    /// The member and tenant of a session in one of `states`.
    ///
    /// - Throws: ``APIError`` `not_signed_in`.
    private func member(of session: Session?, in states: Set<Session.State>) async throws
        -> (Accounts.Member, Accounts.Tenant)
    {
        guard let session, states.contains(session.state), let memberID = session.memberID,
            let member = try await self.accounts.member(memberID),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else { throw APIError.notSignedIn }
        return (member, tenant)
    }

    /// An admin's member record and tenant.
    func admin(_ session: Session?) async throws -> (Accounts.Member, Accounts.Tenant) {
        let (member, tenant) = try await self.signedIn(session)
        guard member.role == .admin else { throw APIError.forbidden }
        return (member, tenant)
    }

    /// The kinds a member can sign in with: enrolled and still enabled by the tenant, and the
    /// recovery code when there is one.
    func usableFactors(_ factors: MemberFactors, tenant: Accounts.Tenant) -> [FactorKind] {
        var kinds = factors.kinds.filter { tenant.settings.enabledFactors.contains($0) }
        if factors.hasRecoveryCode { kinds.append(.recoveryCode) }
        return kinds
    }

    /// The API's view of a member's factors.
    func factorsResponse(_ factors: MemberFactors, tenant: Accounts.Tenant) -> APIModels.MemberFactorsResponse {
        let policy = EnrollmentPolicy(tenant: tenant.settings)
        return APIModels.MemberFactorsResponse(
            mfaEnabled: factors.mfaEnabled,
            factors: factors.enrollments.map { APIModels.Factor(id: $0.id, kind: $0.kind.rawValue, name: $0.name) },
            hasRecoveryCode: factors.hasRecoveryCode,
            warnings: policy.warnings(for: factors).map { APIModels.Warning(code: $0.rawValue, message: $0.message) },
            enrollable: policy.enrollableFactors(for: factors).map(\.rawValue)
        )
    }

    /// An SVG QR code of `text` (empty when it cannot be encoded).
    static func qrSVG(_ text: String) -> String {
        (try? QRCode(encoding: text))?.svg() ?? ""
    }
}
