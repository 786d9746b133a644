public import Foundation
import MFAFactors
import MFAPolicy
import Push
import SMS
public import WebAuthn

extension Dashboard {
    /// Checks that the member may use `kind` now and the address is not over its limit.
    func checkFactor(_ kind: FactorKind, member: Accounts.Member, tenant: Accounts.Tenant, address: String)
        async throws -> MemberFactors
    {
        try await self.mfaLimit.check(address)
        let factors = try await self.factors.memberFactors(member.id)
        guard self.usableFactors(factors, tenant: tenant).contains(kind) else {
            throw APIError(.conflict, "factor_unavailable", "This factor is not enrolled or not enabled.")
        }
        return factors
    }

    /// Runs a second-factor attempt under the member's per-factor limit and the address limit:
    /// the attempt counts against the address (in the store) before it runs, and a success takes
    /// it back.
    func attempt<Result: Sendable>(
        _ kind: FactorKind,
        member: Accounts.Member,
        address: String,
        at now: Date,
        _ body: () async throws -> (succeeded: Bool, result: Result)
    ) async throws -> Result {
        let reservation = try await self.mfaLimit.reserve(address, at: now)
        do {
            let (succeeded, result) = try await self.attempts.attempt(
                memberID: member.id,
                kind: kind,
                at: now,
                source: address
            ) { () -> (succeeded: Bool, result: (Bool, Result)) in
                let (succeeded, result) = try await body()
                return (succeeded, (succeeded, result))
            }
            if succeeded { try await self.mfaLimit.release(reservation) }
            return result
        } catch let error as PolicyError {
            // A locked factor was not tried.
            try? await self.mfaLimit.release(reservation)
            throw error
        }
    }

    /// `POST /api/mfa/webauthn/options`: a challenge for the member's security keys and
    /// biometrics (those the tenant still enables), bound to this session.
    public func webAuthnSignInOptions(_ caller: Caller, at now: Date = Date())
        async throws -> PublicKeyCredentialRequestOptionsJSON
    {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        try await self.mfaLimit.check(address)
        let usable = try await self.factors.webAuthn.credentials(of: member.id)
            .filter { tenant.settings.enabledFactors.contains($0.kind) }
        guard !usable.isEmpty else {
            throw APIError(.conflict, "factor_unavailable", "This factor is not enrolled or not enabled.")
        }
        let (_, options) = try await self.factors.webAuthn.beginAuthentication(
            memberID: member.id,
            credentials: usable,
            binding: SessionStore.id(token: token),
            at: now
        )
        return options
    }

    /// `POST /api/mfa/webauthn/verify`: the ceremony is the one whose challenge the response
    /// signed, issued to this session; the credential must be the member's and its kind enabled.
    public func webAuthnSignInVerify(
        _ caller: Caller,
        response: AuthenticationResponseJSON,
        at now: Date = Date()
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        try await self.mfaLimit.check(address)
        let ceremonyID = try WebAuthnFactorService.ceremonyID(of: response.response.clientDataJSON.bytes)
        // The credential's kind decides which limit counts the attempt.
        guard let read = try await self.factors.webAuthn.credential(response.rawID.bytes, of: member.id) else {
            throw FactorError.factorNotFound
        }
        let stored = read.record
        guard tenant.settings.enabledFactors.contains(stored.kind) else {
            throw APIError(.conflict, "factor_unavailable", "This factor is not enabled.")
        }
        try await self.attempt(stored.kind, member: member, address: address, at: now) {
            _ = try await self.factors.webAuthn.finishAuthentication(
                ceremonyID: ceremonyID,
                memberID: member.id,
                response: response,
                binding: SessionStore.id(token: token),
                credential: read,
                at: now
            )
            return (true, ())
        }
        return try await self.completeMFA(token: token, session: session, used: stored.kind, at: now)
    }

    /// `POST /api/mfa/totp/verify`.
    public func totpSignIn(_ caller: Caller, code: String, at now: Date = Date())
        async throws -> (token: String, state: APIModels.SessionState)
    {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        _ = try await self.checkFactor(.otp, member: member, tenant: tenant, address: address)
        let apps = try await self.factors.otp.factors(of: member.id).filter(\.factor.confirmed)
        let accepted = try await self.attempt(.otp, member: member, address: address, at: now) {
            for app in apps {
                if case .accepted = try await self.factors.otp.verify(factorID: app.id, code: code, at: now) {
                    return (true, true)
                }
            }
            return (false, false)
        }
        guard accepted else { throw APIError.codeRejected }
        return try await self.completeMFA(token: token, session: session, used: .otp, at: now)
    }

    /// `POST /api/mfa/sms/send`: a code to the member's first confirmed number.
    public func smsSignInSend(_ caller: Caller, at now: Date = Date()) async throws
        -> APIModels.SMSSent
    {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        _ = try await self.checkFactor(.sms, member: member, tenant: tenant, address: address)
        guard let number = try await self.factors.sms.factors(of: member.id).first(where: \.factor.confirmed) else {
            throw FactorError.factorNotFound
        }
        let sent = try await self.factors.sms.sendCode(
            factorID: number.id,
            memberID: member.id,
            tenantID: tenant.id,
            at: now
        )
        try await self.sessions.update(token: token, at: now) { $0.pending.smsSignIn = sent.codeID }
        return APIModels.SMSSent(maskedPhone: sent.maskedPhone, expiresAt: sent.expiresAt)
    }

    /// `POST /api/mfa/sms/verify`.
    public func smsSignInVerify(_ caller: Caller, code: String, at now: Date = Date())
        async throws -> (token: String, state: APIModels.SessionState)
    {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        guard let codeID = session.pending.smsSignIn else { throw APIError.mfaStepNotStarted("SMS code") }
        _ = try await self.checkFactor(.sms, member: member, tenant: tenant, address: address)
        let verification = try await self.attempt(.sms, member: member, address: address, at: now) {
            let verification = try await self.factors.sms.verify(
                codeID: codeID,
                memberID: member.id,
                code: code,
                at: now
            )
            return (verification == .accepted, verification)
        }
        switch verification {
        case .accepted: return try await self.completeMFA(token: token, session: session, used: .sms, at: now)
        case .expired: throw APIError(.gone, "sms_code_expired", "The code expired; send a new one.")
        case .tooManyAttempts, .alreadyUsed:
            throw APIError(.gone, "sms_code_used", "This code can no longer be used; send a new one.")
        case .wrongCode(let left):
            throw APIError(.unauthorized, "code_rejected", "The code is wrong; \(left) tries left.")
        }
    }

    /// `POST /api/mfa/push/start`: a request to the member's newest phone.
    public func pushSignInStart(
        _ caller: Caller,
        browser: String,
        at now: Date = Date()
    ) async throws -> APIModels.PushStarted {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.verifying(session)
        _ = try await self.checkFactor(.push, member: member, tenant: tenant, address: address)
        do {
            _ = try await self.pushStartLimit.reserve(member.id, at: now)
        } catch var error as APIError {
            error.code = "push_throttled"
            error.message = "Too many push requests were sent to this member's phones; wait, or use another factor."
            throw error
        }
        let transaction = try await self.factors.push.start(
            memberID: member.id,
            context: PushTransaction.Context(browser: String(browser.prefix(120)), ipAddress: address, time: now),
            at: now
        )
        try await self.sessions.update(token: token, at: now) { $0.pending.pushSignIn = transaction.id }
        return APIModels.PushStarted(
            transactionId: transaction.id,
            number: transaction.number,
            expiresAt: transaction.expiresAt
        )
    }

    /// `GET /api/mfa/push/status`: the phone's answer; an approval signs the session in (once).
    public func pushSignInStatus(_ caller: Caller, at now: Date = Date()) async throws
        -> (token: String, status: APIModels.PushStatus)
    {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, _) = try await self.verifying(session)
        guard let transactionID = session.pending.pushSignIn else { throw APIError.mfaStepNotStarted("push request") }
        let status = try await self.factors.push.status(transactionID: transactionID, memberID: member.id, at: now)
        guard status == .approved else {
            if status == .denied {
                _ = try await self.attempt(.push, member: member, address: address, at: now) { (false, ()) }
                try await self.sessions.update(token: token, at: now) { $0.pending.pushSignIn = nil }
            }
            return (token, APIModels.PushStatus(status: status.rawValue, state: session.state, csrfToken: nil))
        }
        let redeemed = try await self.attempt(.push, member: member, address: address, at: now) {
            let redeemed = try await self.factors.push.redeem(transactionID: transactionID, memberID: member.id)
            return (redeemed, redeemed)
        }
        guard redeemed else { throw APIError(.gone, "push_already_used", "This approval was already used.") }
        let (newToken, state) = try await self.completeMFA(token: token, session: session, used: .push, at: now)
        return (newToken, APIModels.PushStatus(status: status.rawValue, state: state.state, csrfToken: state.csrfToken))
    }

    /// `POST /api/mfa/recovery-code`: signs in with the recovery code, which is replaced (the
    /// new one is in the answer, once) and lifts the member's factor locks.
    public func recoveryCodeSignIn(
        _ caller: Caller,
        code: String,
        at now: Date = Date()
    ) async throws -> (token: String, state: APIModels.SessionState) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, _) = try await self.verifying(session)
        try await self.mfaLimit.check(address)
        let next = try await self.attempt(.recoveryCode, member: member, address: address, at: now) {
            let next = try await self.factors.recoveryCodes.use(code, for: member.id, at: now)
            return (next != nil, next)
        }
        guard let next else { throw APIError.codeRejected }
        try await self.factors.audit.record([.recoveryCodeUsed], memberID: member.id, at: now, source: address)
        try await self.attempts.unlock(memberID: member.id, by: .recoveryCode, at: now, source: address)
        return try await self.completeMFA(
            token: token,
            session: session,
            used: .recoveryCode,
            newRecoveryCode: next.description,
            at: now
        )
    }
}
