/// The W3C WebAuthn Level 3 JSON serialization of an assertion (`PublicKeyCredential` from
/// `navigator.credentials.get()`, §5.1.9 `AuthenticationResponseJSON`).
///
/// Binary fields are base64url. Unknown fields are ignored; fields of the wrong type are rejected.
public struct AuthenticationResponseJSON: Sendable, Hashable, Codable {
    /// The authenticator's response (`AuthenticatorAssertionResponseJSON`).
    public struct Response: Sendable, Hashable, Codable {
        /// The client data the authenticator signed over, as UTF-8 JSON bytes.
        public var clientDataJSON: Base64URLBytes
        /// The authenticator data.
        public var authenticatorData: Base64URLBytes
        /// The signature over `authenticatorData || SHA-256(clientDataJSON)`.
        public var signature: Base64URLBytes
        /// The user handle stored with a discoverable credential.
        public var userHandle: Base64URLBytes?

        /// Creates a response.
        public init(clientDataJSON: [UInt8], authenticatorData: [UInt8], signature: [UInt8], userHandle: [UInt8]? = nil)
        {
            self.clientDataJSON = Base64URLBytes(clientDataJSON)
            self.authenticatorData = Base64URLBytes(authenticatorData)
            self.signature = Base64URLBytes(signature)
            self.userHandle = userHandle.map(Base64URLBytes.init)
        }
    }

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

    /// Creates an authentication response.
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
