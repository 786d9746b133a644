/// The options a relying party sends to `navigator.credentials.create()` (§5.4,
/// `PublicKeyCredentialCreationOptionsJSON`), with a fresh 32-byte random challenge.
public struct PublicKeyCredentialCreationOptionsJSON: Sendable, Hashable, Codable {
    /// The relying party entity.
    public struct RelyingPartyEntity: Sendable, Hashable, Codable {
        /// The RP ID.
        public var id: String
        /// A human-readable name.
        public var name: String
    }

    /// The user account entity.
    public struct UserEntity: Sendable, Hashable, Codable {
        /// The opaque user handle (at most 64 bytes, no personal data).
        public var id: Base64URLBytes
        /// The account name (e-mail or username).
        public var name: String
        /// The name shown to the person.
        public var displayName: String
    }

    /// One acceptable credential algorithm.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Always `public-key`.
        public var type: String
        /// The COSE algorithm identifier.
        public var alg: Int
    }

    /// What kind of authenticator to use (§5.4.4).
    public struct AuthenticatorSelection: Sendable, Hashable, Codable {
        /// `platform` (Touch ID, Windows Hello) or `cross-platform` (security keys).
        public var authenticatorAttachment: String?
        /// `discouraged`, `preferred` or `required`.
        public var residentKey: String?
        /// Level 1 spelling of `residentKey == "required"`.
        public var requireResidentKey: Bool?
        /// `discouraged`, `preferred` or `required`.
        public var userVerification: String?

        /// Creates a selection.
        public init(
            authenticatorAttachment: String? = nil,
            residentKey: String? = nil,
            userVerification: String? = nil
        ) {
            self.authenticatorAttachment = authenticatorAttachment
            self.residentKey = residentKey
            self.requireResidentKey = residentKey.map { $0 == "required" }
            self.userVerification = userVerification
        }
    }

    public var rp: RelyingPartyEntity
    public var user: UserEntity
    public var challenge: Base64URLBytes
    public var pubKeyCredParams: [Parameters]
    public var timeout: Int?
    public var excludeCredentials: [PublicKeyCredentialDescriptorJSON]
    public var authenticatorSelection: AuthenticatorSelection?
    public var hints: [String]?
    /// `none`, `indirect`, `direct` or `enterprise`.
    public var attestation: String
    public var extensions: AuthenticationExtensionsClientInputsJSON?

    /// Creates registration options with a fresh random challenge.
    ///
    /// - Parameters:
    ///   - relyingParty: the RP ID and a display name.
    ///   - user: the user handle (random, at most 64 bytes), account name and display name.
    ///   - algorithms: the accepted algorithms, preferred first.
    ///   - excludeCredentials: the user's existing credentials, so an authenticator is not registered twice.
    ///   - challenge: a specific challenge, for tests; by default 32 random bytes.
    public init(
        relyingParty: (id: String, name: String),
        user: (id: [UInt8], name: String, displayName: String),
        algorithms: [COSEAlgorithm] = COSEAlgorithm.defaultAllowed,
        excludeCredentials: [PublicKeyCredentialDescriptorJSON] = [],
        authenticatorSelection: AuthenticatorSelection? = nil,
        attestation: String = "none",
        extensions: AuthenticationExtensionsClientInputsJSON? = nil,
        timeoutMilliseconds: Int? = 300_000,
        hints: [String]? = nil,
        challenge: [UInt8] = Challenge.random()
    ) {
        self.rp = RelyingPartyEntity(id: relyingParty.id, name: relyingParty.name)
        self.user = UserEntity(id: Base64URLBytes(user.id), name: user.name, displayName: user.displayName)
        self.challenge = Base64URLBytes(challenge)
        self.pubKeyCredParams = algorithms.map { Parameters(type: "public-key", alg: $0.rawValue) }
        self.timeout = timeoutMilliseconds
        self.excludeCredentials = excludeCredentials
        self.authenticatorSelection = authenticatorSelection
        self.hints = hints
        self.attestation = attestation
        self.extensions = extensions
    }
}
