import Foundation

/// The client data a browser collected and the authenticator signed over (WebAuthn §5.8.1).
///
/// Parsed from the exact `clientDataJSON` bytes; its SHA-256 is what authenticators sign.
public struct CollectedClientData: Sendable, Hashable {
    /// `webauthn.create` or `webauthn.get` (or, for payment extensions, `payment.get`).
    public var type: String
    /// The challenge as base64url text.
    public var challenge: String
    /// The origin of the calling document.
    public var origin: String
    /// Whether the call came from a cross-origin iframe.
    public var crossOrigin: Bool?
    /// The top-level origin, when `crossOrigin` is true.
    public var topOrigin: String?
    /// Token binding state (WebAuthn Level 2), when the client sent it as an object. Level 3
    /// dropped token binding; values that are not objects (old clients sent strings such as
    /// `"unused"`) are ignored.
    public var tokenBinding: TokenBinding?

    /// Token binding state reported by the client (WebAuthn Level 2 §5.8.1).
    public struct TokenBinding: Sendable, Hashable {
        /// `present` or `supported` (Level 2); anything else is rejected.
        public var status: String
        /// The token binding id, when `present`.
        public var id: String?

        /// Creates token binding state.
        public init(status: String, id: String? = nil) {
            self.status = status
            self.id = id
        }
    }

    /// Creates client data from its fields.
    public init(
        type: String,
        challenge: String,
        origin: String,
        crossOrigin: Bool? = nil,
        topOrigin: String? = nil,
        tokenBinding: TokenBinding? = nil
    ) {
        self.type = type
        self.challenge = challenge
        self.origin = origin
        self.crossOrigin = crossOrigin
        self.topOrigin = topOrigin
        self.tokenBinding = tokenBinding
    }

    /// Parses `clientDataJSON` strictly: one JSON object, valid UTF-8, string `type`,
    /// `challenge` and `origin` each present once.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_client_data` when the bytes are not such an object,
    ///   a member the verifier reads is repeated or has the wrong type, or the JSON is malformed.
    public init(jsonBytes bytes: [UInt8]) throws(WebAuthnError) {
        do {
            self = try ClientDataJSONParser.parse(bytes)
        } catch {
            throw WebAuthnError(
                .malformedClientData,
                "clientDataJSON is not a JSON object with string type, challenge and origin fields.",
                step: "§7.1 step 5"
            )
        }
    }

    /// The W3C serialization of client data (WebAuthn §5.8.1.1): `type`, `challenge`,
    /// `origin`, `crossOrigin`, then `topOrigin`, as a browser writes it. This is what a client
    /// (such as `fidoctl enroll`) hashes and sends.
    public var jsonBytes: [UInt8] {
        var json = "{\"type\":\(Self.quoted(self.type)),\"challenge\":\(Self.quoted(self.challenge))"
        json += ",\"origin\":\(Self.quoted(self.origin)),\"crossOrigin\":\(self.crossOrigin == true)"
        if let topOrigin = self.topOrigin {
            json += ",\"topOrigin\":\(Self.quoted(topOrigin))"
        }
        return Array((json + "}").utf8)
    }

    private static func quoted(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
