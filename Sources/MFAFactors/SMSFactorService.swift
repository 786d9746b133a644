public import Foundation
public import MFAStore
public import SMS

/// SMS factors kept in a store: a number is enrolled once a code sent to it comes back (until
/// then it is a pending enrollment that expires, at most
/// ``SMSThrottle/pendingEnrollmentsPerMember`` per member: a new one replaces the oldest);
/// sign-in codes are kept hashed, expire after five minutes, are accepted once and die after
/// five wrong tries; the send limits per number, per member and per tenant are enforced from the
/// send times stored for each, reserved by compare-and-swap so concurrent requests cannot exceed
/// them. Whether the tenant's plan allows
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

    /// A number waiting for its first code to come back; it expires with
    /// ``SMSFactorService/pendingLifetime`` (the sweeper deletes it).
    public struct PendingEnrollment: ExpiringRecord, Sendable {
        public static let recordKind = "sms-pending-enrollment"
        public var memberID: String
        public var phone: PhoneNumber
        public var createdAt: Date
        public var expiresAt: Date
    }

    /// The member's pending enrollments that count, oldest first: the one list a new enrollment
    /// changes by compare-and-swap, so parallel enrollments cannot keep more than the limit.
    public struct PendingIndex: PendingEnrollmentIndex, Sendable {
        public static let recordKind = "sms-pending-index"
        public var ids: [String]
    }

    /// How long a number may wait for its first code to come back.
    public static let pendingLifetime: TimeInterval = 600

    /// A code sent for one enrollment or sign-in.
    public struct PendingCode: ExpiringRecord, Sendable {
        public static let recordKind = "sms-code"
        public var memberID: String
        public var factorID: String
        public var challenge: SMSChallenge
        public var expiresAt: Date { self.challenge.expiresAt }
    }

    /// When codes were sent to one number, member (`member:ID`) or tenant (`tenant:ID`), the
    /// last 24 hours.
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

    /// The member's numbers waiting for their first code (those that can still be confirmed),
    /// oldest first.
    public func pendingEnrollments(of memberID: String) async throws -> [(id: String, pending: PendingEnrollment)] {
        let counted = Set(try await self.store.get(PendingIndex.self, id: memberID)?.ids ?? [])
        return try await self.store.entries(PendingEnrollment.self, owner: memberID)
            .filter { counted.contains($0.id) }
            .map { ($0.id, $0.record) }
    }

    /// Starts enrolling `phone`: keeps it as a pending enrollment (replacing the member's oldest
    /// beyond the limit) and sends the first code.
    ///
    /// - Throws: ``SMSError/throttled(retryAfter:)``, ``SMSError/memberLimit(retryAfter:)``,
    ///   ``SMSError/tenantLimit(retryAfter:)``, ``SMSError/deliveryFailed(_:)``.
    public func begin(memberID: String, tenantID: String? = nil, phone: PhoneNumber, at now: Date = Date())
        async throws -> Sent
    {
        try await self.reserveSend(to: phone, memberID: memberID, tenantID: tenantID, at: now)
        let factorID = UUID().uuidString
        try await PendingIndex.add(
            factorID,
            memberID: memberID,
            limit: self.throttle.pendingEnrollmentsPerMember,
            replacing: PendingEnrollment.self,
            in: self.store
        )
        let pending = PendingEnrollment(
            memberID: memberID,
            phone: phone,
            createdAt: now,
            expiresAt: now.addingTimeInterval(Self.pendingLifetime)
        )
        try await self.store.insert(pending, id: factorID, owner: memberID)
        do {
            return try await self.deliverCode(to: phone, memberID: memberID, factorID: factorID, at: now)
        } catch {
            // An enrollment whose first code never left is not kept.
            _ = try? await self.store.delete(PendingEnrollment.self, id: factorID) { _ in true }
            _ = try? await PendingIndex.take(factorID, memberID: memberID, in: self.store)
            throw error
        }
    }

    /// Sends a sign-in code to a confirmed number of the member.
    ///
    /// - Throws: ``FactorError/factorNotFound``, ``FactorError/factorNotConfirmed``,
    ///   ``SMSError/throttled(retryAfter:)``, ``SMSError/memberLimit(retryAfter:)``,
    ///   ``SMSError/tenantLimit(retryAfter:)``, ``SMSError/deliveryFailed(_:)``.
    public func sendCode(factorID: String, memberID: String, tenantID: String? = nil, at now: Date = Date())
        async throws -> Sent
    {
        guard let factor = try await self.store.get(Factor.self, id: factorID), factor.memberID == memberID else {
            let pending = try await self.store.get(PendingEnrollment.self, id: factorID)
            throw pending?.memberID == memberID ? FactorError.factorNotConfirmed : FactorError.factorNotFound
        }
        guard factor.confirmed else { throw FactorError.factorNotConfirmed }
        try await self.reserveSend(to: factor.phone, memberID: memberID, tenantID: tenantID, at: now)
        return try await self.deliverCode(to: factor.phone, memberID: memberID, factorID: factorID, at: now)
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
        } catch StoreError.Code.notFound {
            throw FactorError.ceremonyNotFound
        }
        guard verification == .accepted else { return verification }
        if try await self.store.get(Factor.self, id: factorID) != nil {
            // A sign-in code, or an enrollment begun before pending enrollments had their own kind.
            try await self.store.modify(Factor.self, id: factorID) { $0.confirmed = true }
            return verification
        }
        // The first code of an enrollment came back: the number becomes a factor, once.
        guard let pending = try await self.store.get(PendingEnrollment.self, id: factorID),
            pending.memberID == memberID, pending.expiresAt > now,
            try await PendingIndex.take(factorID, memberID: memberID, in: self.store),
            try await self.store.delete(PendingEnrollment.self, id: factorID, if: { _ in true })
        else { throw FactorError.ceremonyNotFound }
        try await self.store.insert(
            Factor(memberID: memberID, phone: pending.phone, confirmed: true, createdAt: pending.createdAt),
            id: factorID,
            owner: memberID
        )
        return verification
    }

    /// Deletes a number of the member (enrolled or pending).
    public func remove(factorID: String, memberID: String) async throws {
        if try await self.store.delete(Factor.self, id: factorID, if: { $0.memberID == memberID }) { return }
        guard try await self.store.delete(PendingEnrollment.self, id: factorID, if: { $0.memberID == memberID }) else {
            throw FactorError.factorNotFound
        }
    }

    /// Stores a new code for `factorID` and hands it to the provider (the send was reserved).
    private func deliverCode(to phone: PhoneNumber, memberID: String, factorID: String, at now: Date) async throws
        -> Sent
    {
        let (challenge, code) = SMSChallenge.issue(to: phone, at: now)
        try await self.store.insert(
            PendingCode(memberID: memberID, factorID: factorID, challenge: challenge),
            id: challenge.id,
            owner: memberID
        )
        do {
            try await self.provider.send(.code(code, to: phone, issuer: self.issuer, host: self.host))
        } catch {
            // The code never reached the member: it must not be usable. The send still counts
            // towards the limits (a failing number must not be retried without bound).
            _ = try? await self.store.delete(PendingCode.self, id: challenge.id) { _ in true }
            throw error
        }
        return Sent(
            codeID: challenge.id,
            factorID: factorID,
            maskedPhone: phone.masked,
            expiresAt: challenge.expiresAt
        )
    }

    /// Records a send to `phone` (for `memberID` of `tenantID`) at `now` if every limit allows
    /// it: each count is a compare-and-swap on its send log, and a refusal by a later one takes
    /// back the earlier ones.
    private func reserveSend(to phone: PhoneNumber, memberID: String, tenantID: String?, at now: Date) async throws {
        let throttle = self.throttle
        var reserved: [String] = []
        do {
            if let tenantID {
                try await self.reserve(in: "tenant:" + tenantID, at: now) {
                    try throttle.checkTenant(previousSends: $0, at: now)
                }
                reserved.append("tenant:" + tenantID)
            }
            try await self.reserve(in: "member:" + memberID, at: now) {
                try throttle.checkMember(previousSends: $0, at: now)
            }
            reserved.append("member:" + memberID)
            try await self.reserve(in: phone.e164, at: now) { try throttle.check(previousSends: $0, at: now) }
        } catch {
            for id in reserved {
                _ = try? await self.store.modify(SendLog.self, id: id) { log in
                    if let index = log.sends.lastIndex(of: now) { log.sends.remove(at: index) }
                }
            }
            throw error
        }
    }

    /// Appends `now` to the send log `id` if `check` allows it given the last day's sends.
    private func reserve(in id: String, at now: Date, _ check: ([Date]) throws -> Void) async throws {
        try await self.store.modify(SendLog.self, id: id, insertingIfMissing: SendLog(sends: []), owner: "sms") { log in
            log.sends.removeAll { now.timeIntervalSince($0) >= 86_400 }
            try check(log.sends)
            log.sends.append(now)
        }
    }
}
