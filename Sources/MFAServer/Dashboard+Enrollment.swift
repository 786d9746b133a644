public import Foundation
import MFAFactors
import MFAPolicy
import OTP
import SMS
public import WebAuthn

extension Dashboard {
    /// `GET /api/me/factors`.
    /// `GET /api/me/factors` (open to a session that may only enroll: it says what enrollment
    /// needs).
    public func myFactors(_ caller: Caller) async throws -> APIModels.MemberFactorsResponse {
        let (token, session) = (caller.token, caller.session)
        let (member, tenant) = try await self.enrolling(session, token: token)
        return self.factorsResponse(try await self.factors.memberFactors(member.id), member: member, tenant: tenant)
    }

    /// Records a finished enrollment and answers it (with the first factor's recovery code). A
    /// session that could only enroll is replaced by a signed-in one: its token comes back too;
    /// a signed-in session's step-up now stands on the factor it just proved.
    func finishEnrollment(
        _ kind: FactorKind,
        id: String,
        name: String?,
        member: Accounts.Member,
        tenant: Accounts.Tenant,
        before: MemberFactors,
        address: String,
        token: String,
        session: Session,
        at now: Date
    ) async throws -> (enrolled: APIModels.Enrolled, token: String) {
        let code = try await self.factors.enrolled(
            kind,
            id: id,
            memberID: member.id,
            before: before,
            tenant: tenant.settings,
            at: now,
            source: address
        )
        var enrolled = APIModels.Enrolled(
            factor: APIModels.Factor(id: id, kind: kind.rawValue, name: name),
            recoveryCode: code?.description
        )
        guard
            let (newToken, upgraded) = try await self.upgradeAfterEnrollment(
                token: token,
                session: session,
                kind: kind,
                at: now
            )
        else {
            // The session just proved the new factor: a step-up it had by the password alone now
            // stands on that factor (another session of the member, password only, has not).
            if session.mfaVerifiedBy == nil {
                try await self.sessions.update(token: token, at: now) { $0.mfaVerifiedBy = kind.rawValue }
            }
            return (enrolled, token)
        }
        enrolled.state = upgraded.state.rawValue
        enrolled.csrfToken = upgraded.csrfToken
        return (enrolled, newToken)
    }

    /// `POST /api/me/factors/webauthn/options`.
    public func webAuthnEnrollmentOptions(_ caller: Caller, attachment: String, at now: Date = Date())
        async throws -> PublicKeyCredentialCreationOptionsJSON
    {
        let (token, session) = (caller.token, caller.session)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        let kind: FactorKind
        switch attachment {
        case "cross-platform": kind = .securityKey
        case "platform": kind = .platformAuthenticator
        default: throw APIError.badRequest("attachment is cross-platform or platform.")
        }
        try await self.factors.checkEnrollment(kind, memberID: member.id, tenant: tenant.settings)
        let (ceremonyID, options) = try await self.factors.webAuthn.beginRegistration(
            memberID: member.id,
            userName: member.email,
            displayName: member.displayName,
            kind: kind,
            at: now
        )
        try await self.sessions.update(token: token, at: now) { $0.pending.webAuthnEnrollment = ceremonyID }
        return options
    }

    /// `POST /api/me/factors/webauthn/verify`.
    public func webAuthnEnrollmentVerify(
        _ caller: Caller,
        response: RegistrationResponseJSON,
        name: String?,
        at now: Date = Date()
    ) async throws -> (enrolled: APIModels.Enrolled, token: String) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        guard let ceremonyID = session.pending.webAuthnEnrollment else {
            throw APIError.enrollmentNotPending
        }
        let before = try await self.factors.memberFactors(member.id)
        try await self.sessions.update(token: token, at: now) { $0.pending.webAuthnEnrollment = nil }
        // The policy is asked again: the member's factors may have changed since the options.
        let kind =
            try await self.factors.webAuthn.registrationKind(ceremonyID: ceremonyID, of: member.id) ?? .securityKey
        _ = try EnrollmentPolicy(tenant: tenant.settings).enroll(kind, for: before)
        let defaultName = kind == .platformAuthenticator ? "This device" : "Security key"
        let credential = try await self.factors.webAuthn.finishRegistration(
            ceremonyID: ceremonyID,
            memberID: member.id,
            response: response,
            name: try Self.cleanName(name) ?? defaultName,
            at: now
        )
        return try await self.finishEnrollment(
            credential.kind,
            id: WebAuthnFactorService.recordID(credentialID: credential.record.id),
            name: credential.name,
            member: member,
            tenant: tenant,
            before: before,
            address: address,
            token: token,
            session: session,
            at: now
        )
    }

    /// `POST /api/me/factors/totp`.
    public func totpEnrollmentStart(_ caller: Caller, at now: Date = Date()) async throws
        -> APIModels.TOTPEnrollment
    {
        let (token, session) = (caller.token, caller.session)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        try await self.factors.checkEnrollment(.otp, memberID: member.id, tenant: tenant.settings)
        let enrollment = try await self.factors.otp.begin(memberID: member.id, account: member.email, at: now)
        try await self.sessions.update(token: token, at: now) { $0.pending.totpEnrollment = enrollment.factorID }
        return APIModels.TOTPEnrollment(
            factorId: enrollment.factorID,
            uri: enrollment.uri.text,
            secret: Base32.encode(enrollment.uri.secret),
            qrSvg: Self.qrSVG(enrollment.uri.text)
        )
    }

    /// `POST /api/me/factors/totp/confirm`.
    public func totpEnrollmentConfirm(
        _ caller: Caller,
        code: String,
        at now: Date = Date()
    ) async throws -> (enrolled: APIModels.Enrolled, token: String) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        guard let factorID = session.pending.totpEnrollment else { throw APIError.enrollmentNotPending }
        let before = try await self.factors.memberFactors(member.id)
        guard case .accepted = try await self.factors.otp.confirm(factorID: factorID, code: code, at: now) else {
            throw APIError.codeRejected
        }
        try await self.sessions.update(token: token, at: now) { $0.pending.totpEnrollment = nil }
        return try await self.finishEnrollment(
            .otp,
            id: factorID,
            name: "Authenticator app",
            member: member,
            tenant: tenant,
            before: before,
            address: address,
            token: token,
            session: session,
            at: now
        )
    }

    /// `POST /api/me/factors/sms`: the number, and a code sent to it.
    public func smsEnrollmentStart(_ caller: Caller, phone: String, at now: Date = Date())
        async throws -> APIModels.SMSEnrollment
    {
        let (token, session) = (caller.token, caller.session)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        try await self.factors.checkEnrollment(.sms, memberID: member.id, tenant: tenant.settings)
        let sent = try await self.factors.sms.begin(
            memberID: member.id,
            tenantID: tenant.id,
            phone: try PhoneNumber(phone),
            at: now
        )
        try await self.sessions.update(token: token, at: now) {
            $0.pending.smsEnrollment = sent.codeID
            $0.pending.smsEnrollmentFactor = sent.factorID
        }
        return APIModels.SMSEnrollment(factorId: sent.factorID, maskedPhone: sent.maskedPhone)
    }

    /// `POST /api/me/factors/sms/confirm`.
    public func smsEnrollmentConfirm(
        _ caller: Caller,
        code: String,
        at now: Date = Date()
    ) async throws -> (enrolled: APIModels.Enrolled, token: String) {
        let (token, session, address) = (caller.token, caller.session, caller.address)
        let (member, tenant) = try await self.addingFactor(session, token: token, at: now)
        guard let codeID = session.pending.smsEnrollment,
            let factorID = session.pending.smsEnrollmentFactor
        else { throw APIError.enrollmentNotPending }
        let before = try await self.factors.memberFactors(member.id)
        let verification = try await self.factors.sms.verify(codeID: codeID, memberID: member.id, code: code, at: now)
        guard verification == .accepted else { throw APIError.codeRejected }
        try await self.sessions.update(token: token, at: now) {
            $0.pending.smsEnrollment = nil
            $0.pending.smsEnrollmentFactor = nil
        }
        let masked = try await self.factors.sms.factors(of: member.id).first { $0.id == factorID }?.factor.phone.masked
        return try await self.finishEnrollment(
            .sms,
            id: factorID,
            name: masked,
            member: member,
            tenant: tenant,
            before: before,
            address: address,
            token: token,
            session: session,
            at: now
        )
    }

    /// `POST /api/me/factors/push`: an enrollment ticket for the phone app.
    public func pushEnrollmentStart(_ caller: Caller, at now: Date = Date()) async throws -> APIModels.PushEnrollment {
        let session = caller.session
        let (member, tenant) = try await self.addingFactor(session, at: now)
        try await self.factors.checkEnrollment(.push, memberID: member.id, tenant: tenant.settings)
        let ticket = try await self.factors.push.issueTicket(
            for: member.id,
            sessionID: SessionStore.id(token: caller.token),
            firstFactor: !(try await self.factors.memberFactors(member.id).mfaEnabled),
            at: now
        )
        return APIModels.PushEnrollment(
            ticketId: ticket.ticketID,
            uri: ticket.uri,
            qrSvg: Self.qrSVG(ticket.uri),
            expiresAt: ticket.expiresAt
        )
    }

    /// `POST /api/me/recovery-code`: a new code replacing the old one (shown once); needs a
    /// recent step-up.
    public func regenerateRecoveryCode(_ caller: Caller, at now: Date = Date()) async throws
        -> APIModels.RecoveryCodeIssued
    {
        let (session, address) = (caller.session, caller.address)
        let (member, _) = try await self.signedIn(session)
        try await self.requireStepUp(session, at: now)
        guard try await self.factors.memberFactors(member.id).mfaEnabled else {
            throw APIError(.conflict, "no_factor", "Enroll a factor first; the recovery code backs it up.")
        }
        let code = try await self.factors.recoveryCodes.issue(for: member.id, at: now)
        try await self.factors.audit.record([.recoveryCodeIssued], memberID: member.id, at: now, source: address)
        return APIModels.RecoveryCodeIssued(recoveryCode: code.description)
    }

    /// `DELETE /api/me/factors/{id}`: needs a recent step-up.
    public func removeFactor(_ caller: Caller, id: String, at now: Date = Date()) async throws
        -> APIModels.Removed
    {
        let (session, address) = (caller.session, caller.address)
        let (member, tenant) = try await self.signedIn(session)
        try await self.requireStepUp(session, at: now)
        let outcome = try await self.factors.remove(
            id,
            memberID: member.id,
            tenant: tenant.settings,
            at: now,
            source: address
        )
        return APIModels.Removed(
            removed: outcome.removed.map { APIModels.Factor(id: $0.id, kind: $0.kind.rawValue, name: $0.name) },
            mfaEnabled: outcome.remaining.mfaEnabled
        )
    }

    /// A factor name as the member typed it, trimmed; refused with a control or formatting
    /// character or over 64 characters.
    static func cleanName(_ name: String?) throws(APIError) -> String? {
        try DisplayText.validated(name, field: "factor name")
    }
}
