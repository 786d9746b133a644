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
    /// session fixation) that is signed in, or waits for the second factor when the member has
    /// one. Wrong passwords and unknown addresses look and take the same; both count against
    /// the account's and the address's limits.
    ///
    /// - Throws: ``APIError`` `invalid_credentials`, `too_many_attempts`.
    public func signIn(
        email: String,
        password: String,
        address: String,
        previousToken: String?,
        at now: Date = Date()
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let accountKey = "account:" + Accounts.normalize(email)
        let addressKey = "address:" + address
        try self.signInLimits.account.check(accountKey, at: now)
        try self.signInLimits.address.check(addressKey, at: now)
        guard let member = try await self.accounts.authenticate(email: email, password: password),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else {
            self.signInLimits.account.recordFailure(accountKey, at: now)
            self.signInLimits.address.recordFailure(addressKey, at: now)
            throw APIError.invalidCredentials
        }
        self.signInLimits.account.reset(accountKey)
        let factors = try await self.factors.memberFactors(member.id)
        let usable = self.usableFactors(factors, tenant: tenant)
        // Any enrolled authenticator means MFA, even one the tenant has since disabled (then only
        // the recovery code, or an admin, gets the member in): never fail open.
        let needsMFA = factors.mfaEnabled
        if let previousToken { try await self.sessions.delete(token: previousToken) }
        let (token, session) = try await self.sessions.create(
            state: needsMFA ? .mfaRequired : .signedIn,
            memberID: member.id,
            tenantID: tenant.id,
            at: now
        )
        return (
            token,
            APIModels.SessionState(
                state: session.state.rawValue,
                factors: (needsMFA ? usable : factors.kinds).map(\.rawValue),
                csrfToken: session.csrfToken,
                newRecoveryCode: nil
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
            let kinds = [kind.rawValue]
            let updated = try await self.sessions.update(token: token, at: now) { session -> Session in
                session.mfaVerifiedAt = now
                return session
            }
            return (
                token,
                APIModels.SessionState(
                    state: updated.state.rawValue,
                    factors: kinds,
                    csrfToken: updated.csrfToken,
                    newRecoveryCode: newRecoveryCode
                )
            )
        }
        let kinds = try await self.factors.memberFactors(memberID).kinds.map(\.rawValue)
        try await self.sessions.delete(token: token)
        let (newToken, fresh) = try await self.sessions.create(
            state: .signedIn,
            memberID: memberID,
            tenantID: session.tenantID,
            newRecoveryCode: newRecoveryCode,
            at: now
        )
        return (
            newToken,
            APIModels.SessionState(
                state: fresh.state.rawValue,
                factors: kinds,
                csrfToken: fresh.csrfToken,
                newRecoveryCode: newRecoveryCode
            )
        )
    }
}

extension Dashboard {
    /// The factor kinds a session waiting for MFA can use (for the MFA page).
    public func signInFactors(session: Session?) async throws -> [String] {
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
