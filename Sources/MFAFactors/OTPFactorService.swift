public import Foundation
public import MFAStore
public import OTP
public import SecretVault

/// Authenticator-app factors kept in a store: enrollment that completes only after the member
/// types one valid code, seeds sealed at rest, and each time step accepted once — also under
/// concurrent requests, because acceptance is one compare-and-swap.
///
/// An enrollment under way is a ``PendingFactor`` of its own kind that expires after
/// ``pendingLifetime`` (the sweeper deletes it), at most ``pendingPerMember`` per member: a new
/// one replaces the member's oldest, so starting enrollments in a loop leaves two records, not
/// three hundred. Only a confirmed enrollment becomes a ``Factor``.
public struct OTPFactorService: Sendable {
    /// An OTP factor as stored: the sealed seed, its parameters, whether enrollment finished,
    /// and the last accepted time step.
    public struct Factor: StorableRecord, Sendable {
        public static let recordKind = "otp-factor"
        public var memberID: String
        public var sealedSecret: SealedSecret
        public var algorithm: String
        public var digits: Int
        public var period: Int
        public var confirmed: Bool
        public var lastAcceptedStep: UInt64?
        public var createdAt: Date
    }

    /// An enrollment waiting for its first code: the sealed seed (sealed for the factor id it
    /// will have) and its parameters; gone after ``OTPFactorService/pendingLifetime``.
    public struct PendingFactor: ExpiringRecord, Sendable {
        public static let recordKind = "otp-pending-factor"
        public var memberID: String
        public var sealedSecret: SealedSecret
        public var algorithm: String
        public var digits: Int
        public var period: Int
        public var createdAt: Date
        public var expiresAt: Date
        /// Whether a code confirmed it (it is a ``Factor`` then, or about to be).
        public var used: Bool
    }

    /// The member's pending enrollments, oldest first: the one list a new enrollment changes
    /// by compare-and-swap, so concurrent starts cannot keep more than the cap.
    struct PendingIndex: PendingEnrollmentIndex, Sendable {
        static let recordKind = "otp-pending-index"
        var ids: [String]
    }

    /// How long an enrollment waits for its first code.
    public static let pendingLifetime: TimeInterval = 600
    /// The most enrollments one member has under way.
    public static let pendingPerMember = 2

    /// What a new enrollment shows the member.
    public struct Enrollment: Sendable {
        /// The factor id (still unconfirmed).
        public var factorID: String
        /// The `otpauth://` URI behind the QR code.
        public var uri: OTPAuthURI
    }

    /// The outcome of a code.
    public enum Verification: Sendable, Hashable {
        case accepted(step: UInt64)
        /// Wrong, expired, or a step already used.
        case rejected
    }

    public let store: any RecordStore
    public let keys: SecretKeyRing
    public let issuer: String

    /// Creates the service.
    public init(store: any RecordStore, keys: SecretKeyRing, issuer: String) {
        self.store = store
        self.keys = keys
        self.issuer = issuer
    }

    /// Starts an enrollment: a fresh 160-bit seed, sealed, kept as a ``PendingFactor``
    /// (replacing the member's oldest beyond ``pendingPerMember``).
    public func begin(memberID: String, account: String, at now: Date = Date()) async throws -> Enrollment {
        let id = UUID().uuidString
        let secret = OTPSecret.generate()
        try await PendingIndex.add(
            id,
            memberID: memberID,
            limit: Self.pendingPerMember,
            replacing: PendingFactor.self,
            in: self.store
        )
        let pending = PendingFactor(
            memberID: memberID,
            sealedSecret: try self.keys.seal(secret, context: id),
            algorithm: OTPAlgorithm.sha1.rawValue,
            digits: 6,
            period: 30,
            createdAt: now,
            expiresAt: now.addingTimeInterval(Self.pendingLifetime),
            used: false
        )
        try await self.store.insert(pending, id: id, owner: memberID)
        return Enrollment(factorID: id, uri: OTPAuthURI(issuer: self.issuer, account: account, secret: secret))
    }

    /// The member's enrollments under way (expired ones included until swept), oldest first.
    public func pendingEnrollments(of memberID: String) async throws -> [(id: String, pending: PendingFactor)] {
        try await self.store.entries(PendingFactor.self, owner: memberID).map { ($0.id, $0.record) }
    }

    /// Finishes an enrollment with the first code the app shows; nothing is enrolled until then.
    /// An expired, replaced or already confirmed enrollment is rejected.
    public func confirm(factorID: String, code: String, at now: Date = Date()) async throws -> Verification {
        let keys = self.keys
        let verification: Verification
        let pending: PendingFactor
        do {
            (verification, pending) = try await self.store.modify(PendingFactor.self, id: factorID) {
                pending -> (Verification, PendingFactor) in
                guard !pending.used, pending.expiresAt > now else { return (.rejected, pending) }
                let totp = try TOTP(
                    secret: try keys.open(pending.sealedSecret, context: factorID),
                    digits: pending.digits,
                    algorithm: try OTPAlgorithm(name: pending.algorithm),
                    period: pending.period
                )
                guard let step = totp.matchingStep(for: code, at: now, after: nil) else { return (.rejected, pending) }
                pending.used = true
                return (.accepted(step: step), pending)
            }
        } catch StoreError.Code.notFound {
            // An unconfirmed factor stored before enrollments had their own kind.
            return try await self.check(factorID: factorID, code: code, at: now, confirming: true)
        }
        guard case .accepted(let step) = verification else { return verification }
        let factor = Factor(
            memberID: pending.memberID,
            sealedSecret: pending.sealedSecret,
            algorithm: pending.algorithm,
            digits: pending.digits,
            period: pending.period,
            confirmed: true,
            lastAcceptedStep: step,
            createdAt: pending.createdAt
        )
        try await self.store.insert(factor, id: factorID, owner: pending.memberID)
        _ = try await self.store.delete(PendingFactor.self, id: factorID) { _ in true }
        _ = try? await PendingIndex.take(factorID, memberID: pending.memberID, in: self.store)
        return verification
    }

    /// Checks a sign-in code for a confirmed factor.
    public func verify(factorID: String, code: String, at now: Date = Date()) async throws -> Verification {
        do {
            return try await self.check(factorID: factorID, code: code, at: now, confirming: false)
        } catch let error as StoreError where error.code == .notFound {
            // An enrollment under way is not a sign-in factor yet.
            guard try await self.store.get(PendingFactor.self, id: factorID) == nil else { return .rejected }
            throw error
        }
    }

    /// The member's authenticator apps (confirmed or not), oldest first.
    public func factors(of memberID: String) async throws -> [(id: String, factor: Factor)] {
        try await self.store.entries(Factor.self, owner: memberID).map { ($0.id, $0.record) }
    }

    /// Deletes an authenticator app of the member.
    public func remove(factorID: String, memberID: String) async throws {
        guard try await self.store.delete(Factor.self, id: factorID, if: { $0.memberID == memberID }) else {
            throw FactorError.factorNotFound
        }
    }

    private func check(factorID: String, code: String, at now: Date, confirming: Bool) async throws -> Verification {
        let keys = self.keys
        return try await self.store.modify(Factor.self, id: factorID) { factor -> Verification in
            guard factor.confirmed != confirming else { return .rejected }
            let secret = try keys.open(factor.sealedSecret, context: factorID)
            let totp = try TOTP(
                secret: secret,
                digits: factor.digits,
                algorithm: try OTPAlgorithm(name: factor.algorithm),
                period: factor.period
            )
            guard let step = totp.matchingStep(for: code, at: now, after: factor.lastAcceptedStep) else {
                return .rejected
            }
            factor.lastAcceptedStep = step
            factor.confirmed = true
            return .accepted(step: step)
        }
    }
}
