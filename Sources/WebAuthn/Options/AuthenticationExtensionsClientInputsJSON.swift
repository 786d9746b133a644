/// The client extension inputs a relying party may request (`AuthenticationExtensionsClientInputsJSON`).
public struct AuthenticationExtensionsClientInputsJSON: Sendable, Hashable, Codable {
    /// `largeBlob` inputs (§10.1.5).
    public struct LargeBlob: Sendable, Hashable, Codable {
        /// At registration: `required` or `preferred`.
        public var support: String?
        /// At authentication: read the blob.
        public var read: Bool?
        /// At authentication: write this blob.
        public var write: Base64URLBytes?

        /// Creates large-blob inputs.
        public init(support: String? = nil, read: Bool? = nil, write: [UInt8]? = nil) {
            self.support = support
            self.read = read
            self.write = write.map(Base64URLBytes.init)
        }
    }

    /// A pair of PRF salts (§10.1.4).
    public struct PRFValues: Sendable, Hashable, Codable {
        /// The first salt input.
        public var first: Base64URLBytes
        /// The optional second salt input.
        public var second: Base64URLBytes?

        /// Creates PRF inputs.
        public init(first: [UInt8], second: [UInt8]? = nil) {
            self.first = Base64URLBytes(first)
            self.second = second.map(Base64URLBytes.init)
        }
    }

    /// `prf` inputs (§10.1.4).
    public struct PRF: Sendable, Hashable, Codable {
        /// Salts for any credential.
        public var eval: PRFValues?
        /// Salts per credential id (base64url).
        public var evalByCredential: [String: PRFValues]?

        /// Creates PRF inputs.
        public init(eval: PRFValues? = nil, evalByCredential: [String: PRFValues]? = nil) {
            self.eval = eval
            self.evalByCredential = evalByCredential
        }
    }

    /// FIDO AppID for credentials registered through U2F (authentication).
    public var appid: String?
    /// FIDO AppID whose credentials must be excluded (registration).
    public var appidExclude: String?
    /// Ask the client to report whether the credential is discoverable.
    public var credProps: Bool?
    /// `userVerificationOptional`, `userVerificationOptionalWithCredentialIDList` or `userVerificationRequired` (CTAP2 credProtect).
    public var credentialProtectionPolicy: String?
    /// Fail registration when the authenticator cannot apply `credentialProtectionPolicy`.
    public var enforceCredentialProtectionPolicy: Bool?
    /// Large-blob storage.
    public var largeBlob: LargeBlob?
    /// Pseudo-random function outputs (hmac-secret).
    public var prf: PRF?

    /// Creates extension inputs.
    public init(
        appid: String? = nil,
        appidExclude: String? = nil,
        credProps: Bool? = nil,
        credentialProtectionPolicy: String? = nil,
        enforceCredentialProtectionPolicy: Bool? = nil,
        largeBlob: LargeBlob? = nil,
        prf: PRF? = nil
    ) {
        self.appid = appid
        self.appidExclude = appidExclude
        self.credProps = credProps
        self.credentialProtectionPolicy = credentialProtectionPolicy
        self.enforceCredentialProtectionPolicy = enforceCredentialProtectionPolicy
        self.largeBlob = largeBlob
        self.prf = prf
    }
}
