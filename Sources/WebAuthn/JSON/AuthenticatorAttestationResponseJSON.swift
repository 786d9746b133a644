/// The authenticator's answer to a registration (`AuthenticatorAttestationResponseJSON`, WebAuthn
/// L3 §5.2.1), inside a ``RegistrationResponseJSON``.
public struct AuthenticatorAttestationResponseJSON: Sendable, Hashable, Codable {
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
