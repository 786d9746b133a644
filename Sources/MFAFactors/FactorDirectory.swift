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

    /// Records a completed enrollment `id`: the audit event, and the recovery code when this was
    /// the member's first factor (show it once). Call it after the service confirmed the factor;
    /// `before` is the member's factors from before the enrollment (`issuingRecoveryCode` false:
    /// none is made here, for an enrollment whose answer no member sees). Decided under the member's
    /// ``FactorChangeLock``: of enrollments begun as a first factor (no step-up) and finished at
    /// once, only one stays first — the others are undone and refused — so racing sessions cannot
    /// add factors without a step-up or get recovery codes that replace each other.
    ///
    /// - Throws: ``FactorError/firstFactorTaken`` (the enrollment is removed again).
    public func enrolled(
        _ kind: FactorKind,
        id: String,
        memberID: String,
        before: MemberFactors,
        tenant: TenantSettings,
        issuingRecoveryCode: Bool = true,
        at now: Date = Date(),
        source: String? = nil
    ) async throws -> RecoveryCode? {
        try await self.serialized(memberID: memberID, at: now) { () async throws -> RecoveryCode? in
            let current = try await self.memberFactors(memberID)
            let others = current.enrollments.filter { $0.id != id && $0.kind.isAuthenticator }
            if !before.mfaEnabled, !others.isEmpty {
                try await self.delete(Enrollment(id: id, kind: kind, name: nil), memberID: memberID)
                throw FactorError.firstFactorTaken
            }
            try await self.audit.record([.enrolled(kind)], memberID: memberID, at: now, source: source)
            guard issuingRecoveryCode, others.isEmpty, !current.hasRecoveryCode else { return nil }
            let code = try await self.recoveryCodes.issue(for: memberID, at: now)
            try await self.audit.record([.recoveryCodeIssued], memberID: memberID, at: now, source: source)
            return code
        }
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
        // Under the member's lock: two removals at once are judged one after the other, so they
        // cannot each leave the other's factor as "the last one" and remove both.
        try await self.serialized(memberID: memberID, at: now) { () async throws -> EnrollmentPolicy.RemovalOutcome in
            let outcome = try EnrollmentPolicy(tenant: tenant).remove(id, from: try await self.memberFactors(memberID))
            for enrollment in outcome.removed {
                try await self.delete(enrollment, memberID: memberID)
                guard enrollment.kind != .recoveryCode else { continue }
                try await self.audit.record([.removed(enrollment.kind)], memberID: memberID, at: now, source: source)
            }
            if outcome.mfaTurnedOff {
                try await self.recoveryCodes.revoke(for: memberID)
                try await self.audit.record([.mfaTurnedOff], memberID: memberID, at: now, source: source)
            }
            return outcome
        }
    }

    /// Deletes one enrollment from its service.
    private func delete(_ enrollment: Enrollment, memberID: String) async throws {
        switch enrollment.kind {
        case .securityKey, .platformAuthenticator:
            guard let credentialID = WebAuthnFactorService.credentialID(recordID: enrollment.id) else { return }
            try await self.webAuthn.remove(credentialID: credentialID, memberID: memberID)
        case .otp: try await self.otp.remove(factorID: enrollment.id, memberID: memberID)
        case .sms: try await self.sms.remove(factorID: enrollment.id, memberID: memberID)
        case .push: try await self.push.remove(deviceID: enrollment.id, memberID: memberID)
        case .recoveryCode: return
        }
    }
}
