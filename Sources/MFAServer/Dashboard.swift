public import Crypto
public import Foundation
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
    /// Failed sign-ins per account and per client address, counted in the store.
    public let signInLimits: (account: RateLimiter, address: RateLimiter)
    /// Failed second-factor attempts per client address, counted in the store.
    public let mfaLimit: RateLimiter
    /// Push sign-in requests per member, counted in the store: each one buzzes the member's
    /// phones, so a password alone cannot send them in a loop (push bombing, MFA fatigue).
    public let pushStartLimit: RateLimiter
    /// How long a passed second factor lets a session make sensitive changes (removing a
    /// factor, a new recovery code, adding members, tenant settings) before it must step up.
    public var stepUpWindow: TimeInterval = 300
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
        mfaLimit: RateLimiter = RateLimiter(limit: 50, window: 300),
        anonymousKey: SymmetricKey = SymmetricKey(size: .bits256)
    ) {
        self.accounts = accounts
        self.sessions = SessionStore(store: accounts.store, anonymousKey: anonymousKey)
        self.factors = factors
        self.attempts = AttemptGuard(store: accounts.store)
        self.localPush = localPush
        self.signInLimits = (
            signInLimits.account.bound(to: accounts.store, scope: "sign-in-account"),
            signInLimits.address.bound(to: accounts.store, scope: "sign-in-address")
        )
        self.mfaLimit = mfaLimit.bound(to: accounts.store, scope: "mfa-address")
        self.pushStartLimit = Self.pushStartsPerMember.bound(to: accounts.store, scope: "push-start-member")
    }

    /// How many push sign-in requests a member may get: five in ten minutes.
    public static let pushStartsPerMember = RateLimiter(limit: 5, window: 600)

    /// The member and tenant of a session that must be signed in.
    ///
    /// - Throws: ``APIError`` `not_signed_in`, `mfa_enrollment_required` (a session that may
    ///   only enroll a factor).
    func signedIn(_ session: Session, at now: Date = Date()) async throws -> (Accounts.Member, Accounts.Tenant) {
        if session.state == .enrollmentRequired { throw APIError.enrollmentRequired }
        let (member, tenant) = try await self.member(of: session, in: [.signedIn])
        // A session signed in before the tenant required MFA (or before the grace period ended)
        // is held to the same rule as a new one.
        if tenant.settings.requireMFA, now >= self.enrollmentDeadline(member: member, tenant: tenant),
            !(try await self.factors.memberFactors(member.id).mfaEnabled)
        {
            throw APIError.enrollmentRequired
        }
        return (member, tenant)
    }

    /// The member and tenant of a session that may enroll factors: signed in, or restricted
    /// until its first factor.
    ///
    /// - Throws: ``APIError`` `not_signed_in`, or `mfa_required` when a restricted session's
    ///   member has a factor by now (enrolled elsewhere, or a phone that registered): the session
    ///   then waits for that factor instead, like a sign-in.
    func enrolling(_ session: Session, token: String? = nil) async throws -> (Accounts.Member, Accounts.Tenant) {
        let (member, tenant) = try await self.member(of: session, in: [.signedIn, .enrollmentRequired])
        if session.state == .enrollmentRequired, try await self.factors.memberFactors(member.id).mfaEnabled {
            if let token {
                try await self.sessions.update(token: token) { $0.state = .mfaRequired }
            }
            throw APIError.mfaRequiredNow
        }
        return (member, tenant)
    }

    /// The member and tenant of a session adding a factor. Adding a second factor is a sensitive
    /// change: a member who already has one needs a recent step-up (else a session past its
    /// window could enroll a factor of its own, step up with it and remove the member's). A member
    /// with none (an `enrollment_required` session included) enrolls its first without one.
    ///
    /// - Throws: ``APIError`` `step_up_required`, and as ``enrolling(_:token:)``.
    func addingFactor(_ session: Session, token: String? = nil, at now: Date) async throws
        -> (Accounts.Member, Accounts.Tenant)
    {
        let (member, tenant) = try await self.enrolling(session, token: token)
        if try await self.factors.memberFactors(member.id).mfaEnabled {
            try await self.requireStepUp(session, at: now)
        }
        return (member, tenant)
    }

    /// Refuses a sensitive change unless the session passed a second factor (or, for a member
    /// with none, its password) within ``stepUpWindow``. A password verification counts only
    /// while the member still has no factor: once one is enrolled (in this session or another),
    /// the session must confirm with it.
    ///
    /// - Throws: ``APIError`` `step_up_required`.
    func requireStepUp(_ session: Session, at now: Date) async throws {
        guard let verified = session.mfaVerifiedAt, now.timeIntervalSince(verified) <= self.stepUpWindow,
            verified <= now.addingTimeInterval(60)
        else { throw APIError.stepUpRequired }
        if session.mfaVerifiedBy == nil, let memberID = session.memberID,
            try await self.factors.memberFactors(memberID).mfaEnabled
        {
            throw APIError.stepUpRequired
        }
    }

    /// When a member of a tenant that requires MFA, with no factor yet, must have enrolled one:
    /// the tenant's grace period after the later of the member's creation and the requirement's.
    func enrollmentDeadline(member: Accounts.Member, tenant: Accounts.Tenant) -> Date {
        let settings = tenant.settings
        let start = max(member.createdAt, settings.requireMFASince ?? member.createdAt)
        return start.addingTimeInterval(Double(settings.mfaGracePeriodDays) * 86_400)
    }

    /// The member and tenant of a session waiting for its second factor (or signed in: a
    /// re-verification).
    ///
    /// - Throws: ``APIError`` `mfa_enrollment_required` for a session that may only enroll,
    ///   `not_signed_in` for any other.
    func verifying(_ session: Session) async throws -> (Accounts.Member, Accounts.Tenant) {
        if session.state == .enrollmentRequired { throw APIError.enrollmentRequired }
        return try await self.member(of: session, in: [.mfaRequired, .signedIn])
    }

    /// The member and tenant of a session in one of `states`.
    ///
    /// - Throws: ``APIError`` `not_signed_in`.
    private func member(of session: Session, in states: Set<Session.State>) async throws
        -> (Accounts.Member, Accounts.Tenant)
    {
        guard states.contains(session.state), let memberID = session.memberID,
            let member = try await self.accounts.member(memberID),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else { throw APIError.notSignedIn }
        return (member, tenant)
    }

    /// An admin's member record and tenant.
    ///
    /// - Throws: ``APIError`` `not_signed_in`, `forbidden`.
    func admin(_ session: Session) async throws -> (Accounts.Member, Accounts.Tenant) {
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
    func factorsResponse(_ factors: MemberFactors, member: Accounts.Member, tenant: Accounts.Tenant)
        -> APIModels.MemberFactorsResponse
    {
        let policy = EnrollmentPolicy(tenant: tenant.settings)
        let mustEnroll = tenant.settings.requireMFA && !factors.mfaEnabled
        return APIModels.MemberFactorsResponse(
            mfaEnabled: factors.mfaEnabled,
            factors: factors.enrollments.map { APIModels.Factor(id: $0.id, kind: $0.kind.rawValue, name: $0.name) },
            hasRecoveryCode: factors.hasRecoveryCode,
            warnings: policy.warnings(for: factors).map { APIModels.Warning(code: $0.rawValue, message: $0.message) },
            enrollable: policy.enrollableFactors(for: factors).map(\.rawValue),
            enrollmentRequired: mustEnroll,
            enrollBy: mustEnroll ? self.enrollmentDeadline(member: member, tenant: tenant) : nil
        )
    }

    /// An SVG QR code of `text` (empty when it cannot be encoded).
    static func qrSVG(_ text: String) -> String {
        (try? QRCode(encoding: text))?.svg() ?? ""
    }
}
