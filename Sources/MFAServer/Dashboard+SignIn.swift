public import Foundation
import MFAPolicy

extension Dashboard {
    /// A session whose CSRF token a page or client can use: the live one of `token`, or a new
    /// anonymous one (then `created` says the cookie must be set).
    public func ensureSession(token: String?, at now: Date = Date()) async throws -> (
        token: String, session: Session, created: Bool
    ) {
        if let token, let session = try await self.sessions.find(token: token, at: now) {
            return (token, session, false)
        }
        let (token, session) = try await self.sessions.create(state: .anonymous, at: now)
        return (token, session, true)
    }

    /// Checks a password. The right one ends the old session and opens a new one (against
    /// session fixation) that is signed in, waits for the second factor when the member has
    /// one, or — in a tenant that requires MFA, for a member with no factor past the grace
    /// period — may only enroll a factor. Wrong passwords and unknown addresses look and take the
    /// same; each attempt is counted, before the password is checked, against the account's and
    /// the client address's limits in the store (a success takes it back). The address is
    /// validated and canonicalised once (``EmailAddress``), and that one value is the lookup and
    /// the account's limit key; one that is not an address counts against the client address.
    ///
    /// - Throws: ``APIError`` `invalid_credentials`, `too_many_attempts`.
    public func signIn(
        email: String,
        password: String,
        address: String,
        previousToken: String?,
        at now: Date = Date()
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let addressLimit = self.signInLimits.address
        let accountLimit = self.signInLimits.account
        guard let email = try? EmailAddress(email) else {
            _ = try await addressLimit.reserve(address, at: now)
            throw APIError.invalidCredentials
        }
        let accountAttempt = try await accountLimit.reserve(email.value, at: now)
        let addressAttempt: RateLimiter.Reservation
        do {
            addressAttempt = try await addressLimit.reserve(address, at: now)
        } catch {
            try? await accountLimit.release(accountAttempt)
            throw error
        }
        guard let member = try await self.accounts.authenticate(email: email, password: password),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else { throw APIError.invalidCredentials }
        try await accountLimit.reset(email.value, at: now)
        try await addressLimit.release(addressAttempt)
        let factors = try await self.factors.memberFactors(member.id)
        let usable = self.usableFactors(factors, tenant: tenant)
        // Any enrolled authenticator means MFA, even one the tenant has since disabled (then only
        // the recovery code, or an admin, gets the member in): never fail open.
        let needsMFA = factors.mfaEnabled
        var state = needsMFA ? Session.State.mfaRequired : .signedIn
        var enrollBy: Date?
        if !needsMFA && tenant.settings.requireMFA {
            let deadline = self.enrollmentDeadline(member: member, tenant: tenant)
            enrollBy = deadline
            if now >= deadline { state = .enrollmentRequired }
        }
        if let previousToken { try await self.sessions.delete(token: previousToken) }
        let (token, session) = try await self.sessions.create(
            state: state,
            memberID: member.id,
            tenantID: tenant.id,
            at: now
        )
        return (
            token,
            APIModels.SessionState(
                state: session.state,
                factors: (needsMFA ? usable : factors.kinds).map(\.rawValue),
                csrfToken: session.csrfToken,
                newRecoveryCode: nil,
                enrollBy: enrollBy
            )
        )
    }

    /// `POST /api/session/step-up`: confirms it is still the member before a sensitive change —
    /// with an authenticator app's code or the recovery code (the same checks and limits as the
    /// second factor of a sign-in; security keys, SMS and push use `/api/mfa/…` the same way),
    /// or, for a member with no second factor, the password. The session stays; the time is
    /// noted (``Session/mfaVerifiedAt``).
    ///
    /// - Throws: ``APIError`` `not_signed_in`, `code_rejected`, `invalid_credentials`,
    ///   `factor_required`, `too_many_attempts`, `bad_request`.
    public func stepUp(
        _ caller: Caller,
        _ request: APIModels.StepUpRequest,
        at now: Date = Date()
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, _) = try await self.signedIn(session)
        switch request.factor {
        case FactorKind.otp.rawValue:
            return try await self.totpSignIn(
                caller,
                code: request.code ?? "",
                at: now
            )
        case FactorKind.recoveryCode.rawValue:
            return try await self.recoveryCodeSignIn(
                caller,
                code: request.code ?? "",
                at: now
            )
        case "password":
            guard !(try await self.factors.memberFactors(member.id).mfaEnabled) else {
                throw APIError(.conflict, "factor_required", "You have a second factor: confirm it's you with it.")
            }
            let email = try EmailAddress(member.email)
            let accountAttempt = try await self.signInLimits.account.reserve(email.value, at: now)
            let addressAttempt = try await self.signInLimits.address.reserve(address, at: now)
            guard try await self.accounts.authenticate(email: email, password: request.password ?? "")?.id == member.id
            else { throw APIError.invalidCredentials }
            try await self.signInLimits.account.release(accountAttempt)
            try await self.signInLimits.address.release(addressAttempt)
            return try await self.reverified(token: token, factors: [], newRecoveryCode: nil, at: now)
        default:
            throw APIError.badRequest(
                "factor is otp, recovery-code or password; security keys, SMS and push use /api/mfa/…."
            )
        }
    }

    /// A restricted session (``Session/State/enrollmentRequired``) whose member just enrolled a
    /// factor becomes a new signed-in session (a new id, against fixation): its token, or `nil`
    /// when the session was signed in already.
    func upgradeAfterEnrollment(token: String, session: Session, kind: FactorKind, at now: Date) async throws -> (
        token: String, session: Session
    )? {
        guard session.state == .enrollmentRequired, let memberID = session.memberID else { return nil }
        try await self.sessions.delete(token: token)
        return try await self.sessions.create(
            state: .signedIn,
            memberID: memberID,
            tenantID: session.tenantID,
            verifiedBy: kind.rawValue,
            at: now
        )
    }

    /// Notes that the signed-in session `token` passed a second factor (or, for a member without
    /// one, the password) at `now`, which a step-up needs; the answer names `factors`.
    private func reverified(
        token: String,
        factors: [String],
        newRecoveryCode: String?,
        at now: Date
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let updated = try await self.sessions.update(token: token, at: now) { session -> Session in
            session.mfaVerifiedAt = now
            session.mfaVerifiedBy = factors.first
            return session
        }
        return (
            token,
            APIModels.SessionState(
                state: updated.state,
                factors: factors,
                csrfToken: updated.csrfToken,
                newRecoveryCode: newRecoveryCode
            )
        )
    }

    /// Ends the session.
    public func signOut(token: String?) async throws {
        if let token { try await self.sessions.delete(token: token) }
    }

    /// Turns a session that passed its second factor into a new signed-in session (a
    /// re-verification of a signed-in session keeps it and notes the time).
    func completeMFA(
        token: String,
        session: Session,
        used kind: FactorKind,
        newRecoveryCode: String? = nil,
        at now: Date
    ) async throws -> (token: String, state: APIModels.SessionState) {
        guard let memberID = session.memberID else { throw APIError.notSignedIn }
        if session.state == .signedIn {
            // A re-verification: the session stays; the answer names the factor just used.
            return try await self.reverified(
                token: token,
                factors: [kind.rawValue],
                newRecoveryCode: newRecoveryCode,
                at: now
            )
        }
        let kinds = try await self.factors.memberFactors(memberID).kinds.map(\.rawValue)
        try await self.sessions.delete(token: token)
        let (newToken, fresh) = try await self.sessions.create(
            state: .signedIn,
            memberID: memberID,
            tenantID: session.tenantID,
            newRecoveryCode: newRecoveryCode,
            verifiedBy: kind.rawValue,
            at: now
        )
        return (
            newToken,
            APIModels.SessionState(
                state: fresh.state,
                factors: kinds,
                csrfToken: fresh.csrfToken,
                newRecoveryCode: newRecoveryCode
            )
        )
    }
}

extension Dashboard {
    /// The factor kinds a session waiting for MFA can use (for the MFA page).
    public func signInFactors(_ caller: Caller) async throws -> [String] {
        let session = caller.session
        let (member, tenant) = try await self.verifying(session)
        return self.usableFactors(try await self.factors.memberFactors(member.id), tenant: tenant).map(\.rawValue)
    }

    /// Takes the recovery code a recovery sign-in left to show (once).
    public func takeNewRecoveryCode(token: String, at now: Date = Date()) async throws -> String? {
        try await self.sessions.update(token: token, at: now) { session -> String? in
            defer { session.pending.newRecoveryCode = nil }
            return session.pending.newRecoveryCode
        }
    }
}
