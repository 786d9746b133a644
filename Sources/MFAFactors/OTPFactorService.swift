public import Foundation
public import MFAStore
public import OTP
public import SecretVault

/// Authenticator-app factors kept in a store: enrollment that completes only after the member
/// types one valid code, seeds sealed at rest, and each time step accepted once — also under
/// concurrent requests, because acceptance is one compare-and-swap.
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

    /// Starts an enrollment: a fresh 160-bit seed, sealed, stored unconfirmed.
    public func begin(memberID: String, account: String, at now: Date = Date()) async throws -> Enrollment {
        let id = UUID().uuidString
        let secret = OTPSecret.generate()
        let factor = Factor(
            memberID: memberID,
            sealedSecret: try self.keys.seal(secret, context: id),
            algorithm: OTPAlgorithm.sha1.rawValue,
            digits: 6,
            period: 30,
            confirmed: false,
            lastAcceptedStep: nil,
            createdAt: now
        )
        try await self.store.insert(factor, id: id, owner: memberID)
        return Enrollment(factorID: id, uri: OTPAuthURI(issuer: self.issuer, account: account, secret: secret))
    }

    /// Finishes an enrollment with the first code the app shows; nothing is enrolled until then.
    public func confirm(factorID: String, code: String, at now: Date = Date()) async throws -> Verification {
        try await self.check(factorID: factorID, code: code, at: now, confirming: true)
    }

    /// Checks a sign-in code for a confirmed factor.
    public func verify(factorID: String, code: String, at now: Date = Date()) async throws -> Verification {
        try await self.check(factorID: factorID, code: code, at: now, confirming: false)
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
