public import Foundation
import MFAFactors
import MFAPolicy
import Push
import WebAuthn

extension Dashboard {
    /// The most phones one member may register; a further registration is refused 409
    /// `too_many_devices` (remove one from the profile page first).
    public static let maximumPushDevices = 10

    /// The longest push token taken (APNs tokens have 64 characters, FCM's about 160).
    public static let maximumPushTokenLength = 512

    /// `POST /api/push/devices`: the phone registers with its ticket. The enrollment is audited;
    /// the recovery code for a first factor is created from the profile page, where it is shown.
    ///
    /// The push token must be 1 to ``maximumPushTokenLength`` characters of `A-Z a-z 0-9 - _ :`
    /// (APNs' hex, FCM's and the local simulator's tokens): it is one segment of
    /// `/api/push/inbox/{pushToken}`, so an empty or longer one, or one needing escapes, could
    /// never be polled (400 `invalid_push_token`). A member with ``maximumPushDevices`` phones
    /// gets 409 `too_many_devices`, and the ticket stays usable.
    public func registerDevice(_ request: APIModels.DeviceRegistration, address: String, at now: Date = Date())
        async throws -> APIModels.DeviceRegistered
    {
        guard Self.isPushToken(request.pushToken) else {
            throw APIError(
                .badRequest,
                "invalid_push_token",
                "pushToken must be 1 to \(Self.maximumPushTokenLength) characters of A-Z, a-z, 0-9, -, _ and :."
            )
        }
        guard let publicKey = Base64URL.decode(request.publicKey) else {
            throw APIError.badRequest("publicKey is not base64url.")
        }
        guard let ticket = try await self.factors.push.ticket(request.ticket),
            let member = try await self.accounts.member(ticket.ticket.memberID),
            let tenant = try await self.accounts.tenant(member.tenantID)
        else { throw PushError.ticketInvalid }
        // The policy is asked again: the tenant may have disabled push since the ticket.
        let current = try await self.factors.memberFactors(member.id)
        _ = try EnrollmentPolicy(tenant: tenant.settings).enroll(.push, for: current)
        // A ticket is its session's: once that session ended (signed out, expired), or once a
        // ticket asked for as the first factor (no step-up) would no longer be the first, it
        // registers nothing — as a TOTP or security-key enrollment left half-way cannot be
        // finished later.
        if !ticket.ticket.consumed, let sessionID = ticket.sessionID,
            !(try await self.sessions.update(id: sessionID, at: now) { _ in })
        {
            throw APIError(
                .gone,
                "push_ticket_expired",
                "The sign-in session that asked for this ticket has ended: ask for a new one on the profile page."
            )
        }
        if !ticket.ticket.consumed, ticket.firstFactor == true, current.mfaEnabled {
            throw FactorError.firstFactorTaken
        }
        guard try await self.factors.push.devices(of: member.id).count < Self.maximumPushDevices else {
            throw APIError(
                .conflict,
                "too_many_devices",
                "This member has \(Self.maximumPushDevices) phones registered, the most allowed: remove one first."
            )
        }
        let device = try await self.factors.push.register(
            ticketID: request.ticket,
            secret: request.secret,
            publicKey: publicKey,
            pushToken: request.pushToken,
            name: try Self.cleanName(request.name) ?? "Phone",
            at: now
        )
        // Judged again under the member's lock (two first factors at once), audited; the
        // recovery code of a first factor is made on the profile page, where it is shown.
        _ = try await self.factors.enrolled(
            .push,
            id: device.id,
            memberID: member.id,
            before: ticket.firstFactor == true ? MemberFactors(enrollments: [], hasRecoveryCode: false) : current,
            tenant: tenant.settings,
            issuingRecoveryCode: false,
            at: now,
            source: address
        )
        // The session that asked for the ticket now stands on the phone for a step-up.
        if let sessionID = ticket.sessionID {
            _ = try await self.sessions.update(id: sessionID, at: now) { session in
                if session.mfaVerifiedBy == nil { session.mfaVerifiedBy = FactorKind.push.rawValue }
            }
        }
        return APIModels.DeviceRegistered(deviceId: device.id)
    }

    /// Whether `token` is a push token as ``registerDevice(_:address:at:)`` takes it.
    static func isPushToken(_ token: String) -> Bool {
        (1...Self.maximumPushTokenLength).contains(token.utf8.count)
            && token.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"):
                    true
                default: false
                }
            }
    }

    /// `GET /api/push/inbox/{pushToken}`: the local provider's requests for a phone that are
    /// still open — not answered, expired or dropped — listed without being taken, so the
    /// simulator can list them and then answer one (real phones get APNs or FCM notifications).
    public func inbox(pushToken: String, at now: Date = Date()) async throws -> APIModels.Inbox {
        guard let local = self.localPush else { throw APIError.notFound }
        var waiting: [PushNotification] = []
        for notification in local.waiting(deviceToken: pushToken, at: now)
        where try await self.factors.push.isOpen(transactionID: notification.transactionID, at: now) {
            waiting.append(notification)
        }
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
