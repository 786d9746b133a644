public import Foundation
import MFAFactors
import MFAPolicy
import Push
import WebAuthn

extension Dashboard {
    /// `POST /api/push/devices`: the phone registers with its ticket. The enrollment is audited;
    /// the recovery code for a first factor is created from the profile page, where it is shown.
    public func registerDevice(_ request: APIModels.DeviceRegistration, address: String, at now: Date = Date())
        async throws -> APIModels.DeviceRegistered
    {
        guard let publicKey = Base64URL.decode(request.publicKey) else {
            throw APIError.badRequest("publicKey is not base64url.")
        }
        guard let ticket = try await self.factors.push.store.get(PushFactorService.Ticket.self, id: request.ticket),
            let member = try await self.accounts.member(ticket.ticket.memberID),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else { throw PushError.ticketInvalid }
        // The policy is asked again: the tenant may have disabled push since the ticket.
        _ = try EnrollmentPolicy(tenant: tenant.settings).enroll(
            .push,
            for: try await self.factors.memberFactors(member.id)
        )
        let device = try await self.factors.push.register(
            ticketID: request.ticket,
            secret: request.secret,
            publicKey: publicKey,
            pushToken: String(request.pushToken.prefix(4_096)),
            name: try Self.cleanName(request.name) ?? "Phone",
            at: now
        )
        try await self.factors.audit.record([.enrolled(.push)], memberID: member.id, at: now, source: address)
        return APIModels.DeviceRegistered(deviceId: device.id)
    }

    /// `GET /api/push/inbox/{pushToken}`: the local provider's waiting requests for a phone (the
    /// simulator polls it; real phones get APNs or FCM notifications instead).
    public func inbox(pushToken: String, at now: Date = Date()) throws -> APIModels.Inbox {
        guard let local = self.localPush else { throw APIError.notFound }
        let waiting = local.collect(deviceToken: pushToken).filter { $0.expiresAt > now }
        return APIModels.Inbox(
            transactions: waiting.map {
                APIModels.InboxEntry(
                    transactionId: $0.transactionID,
                    browser: $0.context.browser,
                    ipAddress: $0.context.ipAddress,
                    expiresAt: $0.expiresAt
                )
            }
        )
    }

    /// `POST /api/push/transactions/{id}/answer`: the phone's signed answer.
    public func answerTransaction(_ id: String, _ request: APIModels.DeviceAnswer, at now: Date = Date()) async throws
        -> APIModels.DeviceAnswerOutcome
    {
        guard let signature = Base64URL.decode(request.signature) else {
            throw APIError.badRequest("signature is not base64url.")
        }
        let outcome = try await self.factors.push.answer(
            transactionID: id,
            deviceID: request.deviceId,
            approve: request.approve,
            typedNumber: request.number,
            signature: signature,
            at: now
        )
        switch outcome {
        case .approved: return APIModels.DeviceAnswerOutcome(outcome: "approved")
        case .denied: return APIModels.DeviceAnswerOutcome(outcome: "denied")
        case .numberMismatch: return APIModels.DeviceAnswerOutcome(outcome: "number_mismatch")
        }
    }
}
