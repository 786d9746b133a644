/// A `PublicKeyCredential` as JSON (WebAuthn L3 §5.1, `toJSON()`): the envelope both ceremonies
/// share — the credential id, the client's extension outputs and attachment — around the
/// authenticator's `Response`, which is what differs: an attestation for a registration
/// (``RegistrationResponseJSON``), an assertion for an authentication (``AuthenticationResponseJSON``).
public struct PublicKeyCredentialJSON<Response: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// The credential id, base64url.
    public var id: String
    /// The credential id, as bytes.
    public var rawID: Base64URLBytes
    /// The authenticator's response.
    public var response: Response
    /// `platform` or `cross-platform`, when the client reports it.
    public var authenticatorAttachment: String?
    /// The client extension outputs.
    public var clientExtensionResults: ClientExtensionResults?
    /// Always `public-key`.
    public var type: String

    enum CodingKeys: String, CodingKey {
        case id
        case rawID = "rawId"
        case response
        case authenticatorAttachment
        case clientExtensionResults
        case type
    }

    /// Creates a credential response.
    public init(
        rawID: [UInt8],
        response: Response,
        authenticatorAttachment: String? = nil,
        clientExtensionResults: ClientExtensionResults? = ClientExtensionResults(),
        type: String = "public-key"
    ) {
        self.id = Base64URL.encode(rawID)
        self.rawID = Base64URLBytes(rawID)
        self.response = response
        self.authenticatorAttachment = authenticatorAttachment
        self.clientExtensionResults = clientExtensionResults
        self.type = type
    }
}

/// The W3C WebAuthn Level 3 JSON serialization of a registration (`PublicKeyCredential` from
/// `navigator.credentials.create()`, §5.1.8 `RegistrationResponseJSON`). Binary fields are
/// base64url; unknown fields are ignored, fields of the wrong type rejected.
public typealias RegistrationResponseJSON = PublicKeyCredentialJSON<AuthenticatorAttestationResponseJSON>

/// The W3C WebAuthn Level 3 JSON serialization of an assertion (`PublicKeyCredential` from
/// `navigator.credentials.get()`, §5.1.9 `AuthenticationResponseJSON`). Binary fields are
/// base64url; unknown fields are ignored, fields of the wrong type rejected.
public typealias AuthenticationResponseJSON = PublicKeyCredentialJSON<AuthenticatorAssertionResponseJSON>
