public import Crypto
public import Foundation
public import MFAStore
import WebAuthn

/// Sessions in the store, found by the SHA-256 of their cookie token.
///
/// Anonymous sessions (a visitor before signing in: only a CSRF token) are never stored: the
/// cookie carries a random token and the CSRF token is its HMAC under a server secret (derived
/// from the key ring, so it survives restarts and is shared by servers with one key file; a
/// planted cookie does not let anyone compute its token), so a visitor costs no
/// row until something needs storing (the sign-in, which opens a new session anyway). A
/// cookieless crawler hitting `GET /signin` leaves nothing behind.
public struct SessionStore: Sendable {
    /// How long an anonymous session (a CSRF token) or one waiting for MFA lives.
    public static let pendingLifetime: TimeInterval = 15 * 60
    /// How long a signed-in session lives.
    public static let signedInLifetime: TimeInterval = 12 * 3_600

    public let store: any RecordStore
    /// The HMAC key of anonymous sessions' CSRF tokens.
    let anonymousKey: SymmetricKey

    /// Creates the session store; `anonymousKey` keys anonymous sessions' CSRF tokens (a
    /// random one when not given: tokens then last as long as the process).
    public init(store: any RecordStore, anonymousKey: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.store = store
        self.anonymousKey = anonymousKey
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

    /// The CSRF token of the anonymous session of a cookie `token`: its HMAC under the server
    /// secret, which neither a page that cannot read the (HttpOnly) cookie nor someone who
    /// planted the cookie can compute.
    func anonymousCSRFToken(token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(("fidokit anonymous csrf\u{0}" + token).utf8),
            using: self.anonymousKey
        )
        return Base64URL.encode(Array(mac))
    }

    /// The prefix of an anonymous session's cookie token (which is never stored).
    static let anonymousPrefix = "a."

    /// Whether `token` is an anonymous session's: the prefix and a ``randomToken()``.
    static func isAnonymous(_ token: String) -> Bool {
        token.hasPrefix(Self.anonymousPrefix) && Self.isWellFormed(String(token.dropFirst(Self.anonymousPrefix.count)))
    }

    /// Whether `token` has the shape of the tokens ``randomToken()`` makes (43 base64url characters).
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    /// The unstored anonymous session of a cookie `token`.
    func anonymous(token: String, at now: Date) -> Session {
        Session(
            memberID: nil,
            tenantID: nil,
            state: .anonymous,
            csrfToken: self.anonymousCSRFToken(token: token),
            createdAt: now,
            expiresAt: now.addingTimeInterval(Self.pendingLifetime),
            mfaVerifiedAt: nil,
            mfaVerifiedBy: nil,
            pending: Session.Pending()
        )
    }

    /// A new session and its cookie token. An anonymous session is not stored (see the type).
    public func create(
        state: Session.State,
        memberID: String? = nil,
        tenantID: String? = nil,
        newRecoveryCode: String? = nil,
        verifiedBy: String? = nil,
        at now: Date = Date()
    ) async throws -> (token: String, session: Session) {
        if state == .anonymous, memberID == nil, newRecoveryCode == nil {
            let token = Self.anonymousPrefix + Self.randomToken()
            return (token, self.anonymous(token: token, at: now))
        }
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
            mfaVerifiedBy: state == .signedIn ? verifiedBy : nil,
            pending: Session.Pending(newRecoveryCode: newRecoveryCode)
        )
        try await self.store.insert(session, id: Self.id(token: token), owner: memberID ?? "anonymous")
        return (token, session)
    }

    /// The live session of a cookie token: an anonymous token's (unstored) session, or the
    /// stored one; `nil` when the token is malformed, unknown or its session expired.
    public func find(token: String, at now: Date = Date()) async throws -> Session? {
        if Self.isAnonymous(token) { return self.anonymous(token: token, at: now) }
        guard Self.isWellFormed(token), let session = try await self.store.get(Session.self, id: Self.id(token: token)),
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
        } catch StoreError.Code.notFound {
            throw APIError.sessionExpired
        }
    }

    /// Changes the live session stored under `id` (``id(token:)`` of its token) atomically, for a
    /// request that carries no cookie but names its session (a push enrollment ticket); `false`
    /// when it is gone or expired.
    func update(id: String, at now: Date = Date(), _ body: (inout Session) -> Void) async throws -> Bool {
        do {
            return try await self.store.modify(Session.self, id: id) { session in
                guard !session.isExpired(at: now) else { return false }
                body(&session)
                return true
            }
        } catch StoreError.Code.notFound {
            return false
        }
    }

    /// Ends a session.
    public func delete(token: String) async throws {
        _ = try await self.store.delete(Session.self, id: Self.id(token: token)) { _ in true }
    }
}
