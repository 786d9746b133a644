public import Foundation
public import MFAStore
public import SMS

/// SMS factors kept in a store: a number is enrolled once a code sent to it comes back; sign-in
/// codes are kept hashed, expire after five minutes, are accepted once and die after five wrong
/// tries; the resend limits are enforced from the send times stored per number, reserved by
/// compare-and-swap so concurrent requests cannot exceed them. Whether the tenant's plan allows
/// SMS is the enrollment policy's decision (`MFAPolicy`), made before calling this service.
public struct SMSFactorService: Sendable {
    /// An enrolled (or enrolling) phone number.
    public struct Factor: StorableRecord, Sendable {
        public static let recordKind = "sms-factor"
        public var memberID: String
        public var phone: PhoneNumber
        public var confirmed: Bool
        public var createdAt: Date
    }

    /// A code sent for one enrollment or sign-in.
    public struct PendingCode: ExpiringRecord, Sendable {
        public static let recordKind = "sms-code"
        public var memberID: String
        public var factorID: String
        public var challenge: SMSChallenge
        public var expiresAt: Date { self.challenge.expiresAt }
    }

    /// When codes were sent to one number (the last 24 hours).
    public struct SendLog: StorableRecord, Sendable {
        public static let recordKind = "sms-send-log"
        public var sends: [Date]
    }

    /// What the member sees after a send: the code's id and the masked number.
    public struct Sent: Sendable, Hashable {
        public var codeID: String
        public var factorID: String
        public var maskedPhone: String
        public var expiresAt: Date
    }

    public let store: any RecordStore
    public let provider: any SMSProvider
    public let throttle: SMSThrottle
    public let issuer: String
    /// The WebOTP host (`@host #code`), usually the RP ID.
    public let host: String?

    /// Creates the service.
    public init(
        store: any RecordStore,
        provider: any SMSProvider,
        throttle: SMSThrottle = SMSThrottle(),
        issuer: String,
        host: String? = nil
    ) {
        self.store = store
        self.provider = provider
        self.throttle = throttle
        self.issuer = issuer
        self.host = host
    }

    /// The member's numbers, oldest first.
    public func factors(of memberID: String) async throws -> [(id: String, factor: Factor)] {
        try await self.store.entries(Factor.self, owner: memberID).map { ($0.id, $0.record) }
    }

    /// Starts enrolling `phone`: stores it unconfirmed and sends the first code.
    ///
    /// - Throws: ``SMSError/throttled(retryAfter:)``, ``SMSError/deliveryFailed(_:)``.
    public func begin(memberID: String, phone: PhoneNumber, at now: Date = Date()) async throws -> Sent {
        try await self.reserveSend(to: phone, at: now)
        let factorID = UUID().uuidString
        let factor = Factor(memberID: memberID, phone: phone, confirmed: false, createdAt: now)
        try await self.store.insert(factor, id: factorID, owner: memberID)
        do {
            return try await self.deliverCode(for: factor, factorID: factorID, at: now)
        } catch {
            // An enrollment whose first code never left is not kept.
            _ = try? await self.store.delete(Factor.self, id: factorID) { !$0.confirmed }
            throw error
        }
    }

    /// Sends a sign-in code to a confirmed number of the member.
    ///
    /// - Throws: ``FactorError/factorNotFound``, ``FactorError/factorNotConfirmed``,
    ///   ``SMSError/throttled(retryAfter:)``, ``SMSError/deliveryFailed(_:)``.
    public func sendCode(factorID: String, memberID: String, at now: Date = Date()) async throws -> Sent {
        guard let factor = try await self.store.get(Factor.self, id: factorID), factor.memberID == memberID else {
            throw FactorError.factorNotFound
        }
        guard factor.confirmed else { throw FactorError.factorNotConfirmed }
        try await self.reserveSend(to: factor.phone, at: now)
        return try await self.deliverCode(for: factor, factorID: factorID, at: now)
    }

    /// Checks a typed code. Accepting an enrollment code confirms the number.
    ///
    /// - Throws: ``FactorError/ceremonyNotFound``.
    public func verify(codeID: String, memberID: String, code: String, at now: Date = Date()) async throws
        -> SMSChallenge.Verification
    {
        let (verification, factorID): (SMSChallenge.Verification, String)
        do {
            (verification, factorID) = try await self.store.modify(PendingCode.self, id: codeID) { pending in
                guard pending.memberID == memberID else { throw FactorError.ceremonyNotFound }
                let (verification, next) = pending.challenge.verify(code, at: now)
                pending.challenge = next
                return (verification, pending.factorID)
            }
        } catch StoreError.notFound {
            throw FactorError.ceremonyNotFound
        }
        if verification == .accepted {
            try await self.store.modify(Factor.self, id: factorID) { $0.confirmed = true }
        }
        return verification
    }

    /// Deletes a number of the member.
    public func remove(factorID: String, memberID: String) async throws {
        guard try await self.store.delete(Factor.self, id: factorID, if: { $0.memberID == memberID }) else {
            throw FactorError.factorNotFound
        }
    }

    /// Stores a new code for `factor` and hands it to the provider (the send was reserved).
    private func deliverCode(for factor: Factor, factorID: String, at now: Date) async throws -> Sent {
        let memberID = factor.memberID
        let (challenge, code) = SMSChallenge.issue(to: factor.phone, at: now)
        try await self.store.insert(
            PendingCode(memberID: memberID, factorID: factorID, challenge: challenge),
            id: challenge.id,
            owner: memberID
        )
        do {
            try await self.provider.send(.code(code, to: factor.phone, issuer: self.issuer, host: self.host))
        } catch {
            // The code never reached the member: it must not be usable. The send still counts
            // towards the limits (a failing number must not be retried without bound).
            _ = try? await self.store.delete(PendingCode.self, id: challenge.id) { _ in true }
            throw error
        }
        return Sent(
            codeID: challenge.id,
            factorID: factorID,
            maskedPhone: factor.phone.masked,
            expiresAt: challenge.expiresAt
        )
    }

    /// Records a send to `phone` at `now` if the limits allow it, atomically.
    private func reserveSend(to phone: PhoneNumber, at now: Date) async throws {
        let throttle = self.throttle
        try await self.store.modify(SendLog.self, id: phone.e164, insertingIfMissing: SendLog(sends: []), owner: "sms")
        {
            log in
            log.sends.removeAll { now.timeIntervalSince($0) >= 86_400 }
            try throttle.check(previousSends: log.sends, at: now)
            log.sends.append(now)
        }
    }
}
