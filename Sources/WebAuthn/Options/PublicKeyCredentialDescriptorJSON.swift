/// A reference to one credential in `excludeCredentials` or `allowCredentials` (§5.10.3).
public struct PublicKeyCredentialDescriptorJSON: Sendable, Hashable, Codable {
    /// Always `public-key`.
    public var type: String
    /// The credential id.
    public var id: Base64URLBytes
    /// Transport hints the client may use to reach the authenticator.
    public var transports: [String]?

    /// Creates a descriptor.
    public init(id: [UInt8], transports: [String]? = nil) {
        self.type = "public-key"
        self.id = Base64URLBytes(id)
        self.transports = transports
    }

    /// Describes a stored credential.
    public init(_ credential: CredentialRecord) {
        self.init(id: credential.id, transports: credential.transports.isEmpty ? nil : credential.transports)
    }
}
