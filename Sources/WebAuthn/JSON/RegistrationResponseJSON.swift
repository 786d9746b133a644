/// The W3C WebAuthn Level 3 JSON serialization of a registration (`PublicKeyCredential` from
/// `navigator.credentials.create()`, §5.1.8 `RegistrationResponseJSON`).
///
/// Binary fields are base64url. Unknown fields are ignored; fields of the wrong type are rejected.
public struct RegistrationResponseJSON: Sendable, Hashable, Codable {
    /// The authenticator's response (`AuthenticatorAttestationResponseJSON`).
    public struct Response: Sendable, Hashable, Codable {
        /// The client data the authenticator signed over, as UTF-8 JSON bytes.
        public var clientDataJSON: Base64URLBytes
        /// The CBOR attestation object.
        public var attestationObject: Base64URLBytes
        /// Convenience copy of the authenticator data, when the client sends it (not trusted).
        public var authenticatorData: Base64URLBytes?
        /// The transports the client reports (`usb`, `nfc`, `ble`, `internal`, `hybrid`, …).
        public var transports: [String]?
        /// Convenience copy of the public key as SubjectPublicKeyInfo, when the client sends it (not trusted).
        public var publicKey: Base64URLBytes?
        /// Convenience copy of the COSE algorithm, when the client sends it (not trusted).
        public var publicKeyAlgorithm: Int?

        /// Creates a response.
        public init(clientDataJSON: [UInt8], attestationObject: [UInt8], transports: [String]? = nil) {
            self.clientDataJSON = Base64URLBytes(clientDataJSON)
            self.attestationObject = Base64URLBytes(attestationObject)
            self.transports = transports
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

    /// Creates a registration response.
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
