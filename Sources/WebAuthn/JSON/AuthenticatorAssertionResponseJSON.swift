/// The authenticator's answer to an authentication (`AuthenticatorAssertionResponseJSON`,
/// WebAuthn L3 §5.2.2), inside an ``AuthenticationResponseJSON``.
public struct AuthenticatorAssertionResponseJSON: Sendable, Hashable, Codable {
    /// The client data the authenticator signed over, as UTF-8 JSON bytes.
    public var clientDataJSON: Base64URLBytes
    /// The authenticator data.
    public var authenticatorData: Base64URLBytes
    /// The signature over `authenticatorData || SHA-256(clientDataJSON)`.
    public var signature: Base64URLBytes
    /// The user handle stored with a discoverable credential.
    public var userHandle: Base64URLBytes?

    /// Creates a response.
    public init(clientDataJSON: [UInt8], authenticatorData: [UInt8], signature: [UInt8], userHandle: [UInt8]? = nil) {
        self.clientDataJSON = Base64URLBytes(clientDataJSON)
        self.authenticatorData = Base64URLBytes(authenticatorData)
        self.signature = Base64URLBytes(signature)
        self.userHandle = userHandle.map(Base64URLBytes.init)
    }
}
