/// The options a relying party sends to `navigator.credentials.get()` (§5.5,
/// `PublicKeyCredentialRequestOptionsJSON`), with a fresh 32-byte random challenge.
public struct PublicKeyCredentialRequestOptionsJSON: Sendable, Hashable, Codable {
    public var challenge: Base64URLBytes
    public var timeout: Int?
    public var rpId: String?
    /// Empty for usernameless sign-in with a discoverable credential.
    public var allowCredentials: [PublicKeyCredentialDescriptorJSON]
    /// `discouraged`, `preferred` or `required`.
    public var userVerification: String?
    public var hints: [String]?
    public var extensions: AuthenticationExtensionsClientInputsJSON?

    /// Creates authentication options with a fresh random challenge.
    public init(
        relyingPartyID: String,
        allowCredentials: [PublicKeyCredentialDescriptorJSON] = [],
        userVerification: String? = "preferred",
        extensions: AuthenticationExtensionsClientInputsJSON? = nil,
        timeoutMilliseconds: Int? = 300_000,
        hints: [String]? = nil,
        challenge: [UInt8] = Challenge.random()
    ) {
        self.challenge = Base64URLBytes(challenge)
        self.timeout = timeoutMilliseconds
        self.rpId = relyingPartyID
        self.allowCredentials = allowCredentials
        self.userVerification = userVerification
        self.hints = hints
        self.extensions = extensions
    }
}
