import Crypto
public import Foundation
public import MFAStore
import WebAuthn

/// Sessions in the store, found by the SHA-256 of their cookie token.
public struct SessionStore: Sendable {
    /// How long an anonymous session (a CSRF token) or one waiting for MFA lives.
    public static let pendingLifetime: TimeInterval = 15 * 60
    /// How long a signed-in session lives.
    public static let signedInLifetime: TimeInterval = 12 * 3_600

    public let store: any RecordStore

    /// Creates the session store.
    public init(store: any RecordStore) {
        self.store = store
    }

    /// The store id of a cookie token.
    static func id(token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// 32 random bytes, base64url.
    static func randomToken() -> String {
        Base64URL.encode(Challenge.random(count: 32))
    }

    /// A new session and its cookie token.
    public func create(
        state: Session.State,
        memberID: String? = nil,
        tenantID: String? = nil,
        newRecoveryCode: String? = nil,
        at now: Date = Date()
    ) async throws -> (token: String, session: Session) {
        let token = Self.randomToken()
        let lifetime = state == .signedIn ? Self.signedInLifetime : Self.pendingLifetime
        let session = Session(
            memberID: memberID,
            tenantID: tenantID,
            state: state,
            csrfToken: Self.randomToken(),
            createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime),
            mfaVerifiedAt: state == .signedIn && memberID != nil ? now : nil,
            pending: Session.Pending(newRecoveryCode: newRecoveryCode)
        )
        try await self.store.insert(session, id: Self.id(token: token), owner: memberID ?? "anonymous")
        return (token, session)
    }

    /// The live session of a cookie token, or `nil`.
    public func find(token: String, at now: Date = Date()) async throws -> Session? {
        guard token.count <= 128, let session = try await self.store.get(Session.self, id: Self.id(token: token)),
            !session.isExpired(at: now)
        else { return nil }
        return session
    }

    /// Changes a session atomically; `body` sees the current stored value.
    ///
    /// - Throws: ``APIError`` `session_expired` when it is gone, or what `body` throws.
    public func update<Result: Sendable>(
        token: String,
        at now: Date = Date(),
        _ body: (inout Session) throws -> Result
    ) async throws -> Result {
        do {
            return try await self.store.modify(Session.self, id: Self.id(token: token)) { session in
                guard !session.isExpired(at: now) else { throw APIError.sessionExpired }
                return try body(&session)
            }
        } catch StoreError.notFound {
            throw APIError.sessionExpired
        }
    }

    /// Ends a session.
    public func delete(token: String) async throws {
        _ = try await self.store.delete(Session.self, id: Self.id(token: token)) { _ in true }
    }
}
