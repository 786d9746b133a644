public import Foundation
public import MFAPolicy
import MFAStore
public import RecoveryCode

/// A member's factors across the services, under the tenant's enrollment policy: what is
/// enrolled (the member list's MFA indicator and the profile's list), whether a new factor may
/// be enrolled, the recovery code issued with the first factor, and removal — refused when it
/// would leave a member of an MFA-requiring tenant without factors, and audited.
public struct FactorDirectory: Sendable {
    public let otp: OTPFactorService
    public let webAuthn: WebAuthnFactorService
    public let sms: SMSFactorService
    public let push: PushFactorService
    public let recoveryCodes: RecoveryCodeService
    public let audit: AuditLog

    /// Record kinds whose loss in a restart only makes someone start a ceremony again (WebAuthn
    /// challenges, which live for minutes): a store that only this process writes may keep them
    /// in memory (routed there by a ``KindRoutingRecordStore``) and spare a durable write twice
    /// per sign-in. Never for stores several servers share.
    public static let memoryOnlyKinds: Set<String> = [
        WebAuthnFactorService.PendingChallenge.recordKind, WebAuthnFactorService.ChallengeIndex.recordKind,
    ]

    /// Creates the directory over the services (which share one store).
    public init(
        otp: OTPFactorService,
        webAuthn: WebAuthnFactorService,
        sms: SMSFactorService,
        push: PushFactorService,
        recoveryCodes: RecoveryCodeService
    ) {
        self.otp = otp
        self.webAuthn = webAuthn
        self.sms = sms
        self.push = push
        self.recoveryCodes = recoveryCodes
        self.audit = AuditLog(store: otp.store)
    }

    /// The member's completed enrollments (oldest first within each kind) and recovery code.
    public func memberFactors(_ memberID: String) async throws -> MemberFactors {
        var enrollments: [Enrollment] = []
        for credential in try await self.webAuthn.credentials(of: memberID) {
            enrollments.append(
                Enrollment(
                    id: WebAuthnFactorService.recordID(credentialID: credential.record.id),
                    kind: credential.kind,
                    name: credential.name
                )
            )
        }
        for (id, factor) in try await self.otp.factors(of: memberID) where factor.confirmed {
            enrollments.append(Enrollment(id: id, kind: .otp, name: "Authenticator app"))
        }
        for (id, factor) in try await self.sms.factors(of: memberID) where factor.confirmed {
            enrollments.append(Enrollment(id: id, kind: .sms, name: factor.phone.masked))
        }
        for device in try await self.push.devices(of: memberID) {
            enrollments.append(Enrollment(id: device.id, kind: .push, name: device.name))
        }
        return MemberFactors(
            enrollments: enrollments,
            hasRecoveryCode: try await self.recoveryCodes.hasCode(memberID)
        )
    }

    /// Asks the policy whether `memberID` may start enrolling `kind`.
    ///
    /// - Throws: ``PolicyError``.
    public func checkEnrollment(_ kind: FactorKind, memberID: String, tenant: TenantSettings) async throws {
        _ = try EnrollmentPolicy(tenant: tenant).enroll(kind, for: try await self.memberFactors(memberID))
    }

    /// Records a completed enrollment: the audit event, and the recovery code when this was the
    /// member's first factor (show it once). Call it after the service confirmed the factor;
    /// `before` is the member's factors from before the enrollment.
    public func enrolled(
        _ kind: FactorKind,
        memberID: String,
        before: MemberFactors,
        tenant: TenantSettings,
        at now: Date = Date(),
        source: String? = nil
    ) async throws -> RecoveryCode? {
        try await self.audit.record([.enrolled(kind)], memberID: memberID, at: now, source: source)
        guard !before.mfaEnabled, !before.hasRecoveryCode else { return nil }
        let code = try await self.recoveryCodes.issue(for: memberID, at: now)
        try await self.audit.record([.recoveryCodeIssued], memberID: memberID, at: now, source: source)
        return code
    }

    /// Removes enrollment `id` (and platform authenticators that would be left alone), under the
    /// policy; when MFA goes off, the recovery code goes too.
    ///
    /// - Throws: ``PolicyError/noSuchEnrollment``, ``PolicyError/lastFactorWhileMFARequired``.
    public func remove(
        _ id: String,
        memberID: String,
        tenant: TenantSettings,
        at now: Date = Date(),
        source: String? = nil
    ) async throws -> EnrollmentPolicy.RemovalOutcome {
        let outcome = try EnrollmentPolicy(tenant: tenant).remove(id, from: try await self.memberFactors(memberID))
        for enrollment in outcome.removed {
            switch enrollment.kind {
            case .securityKey, .platformAuthenticator:
                guard let credentialID = WebAuthnFactorService.credentialID(recordID: enrollment.id) else { continue }
                try await self.webAuthn.remove(credentialID: credentialID, memberID: memberID)
            case .otp: try await self.otp.remove(factorID: enrollment.id, memberID: memberID)
            case .sms: try await self.sms.remove(factorID: enrollment.id, memberID: memberID)
            case .push: try await self.push.remove(deviceID: enrollment.id, memberID: memberID)
            case .recoveryCode: continue
            }
            try await self.audit.record([.removed(enrollment.kind)], memberID: memberID, at: now, source: source)
        }
        if outcome.mfaTurnedOff {
            try await self.recoveryCodes.revoke(for: memberID)
            try await self.audit.record([.mfaTurnedOff], memberID: memberID, at: now, source: source)
        }
        return outcome
    }
}
