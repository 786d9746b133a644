/// The client extension outputs (`AuthenticationExtensionsClientOutputsJSON`) that the verifier reads.
///
/// Outputs the verifier does not interpret are ignored. Outputs are produced by the client and
/// are not signed, so they only select behaviour the relying party already allowed (for
/// example, `appid` lets the assertion use the AppID's hash only when the caller set an AppID).
public struct ClientExtensionResults: Sendable, Hashable, Codable {
    /// Credential properties (`credProps`).
    public struct CredentialProperties: Sendable, Hashable, Codable {
        /// Whether the credential is discoverable (client-side resident).
        public var rk: Bool?
    }

    /// `true` when the client used the FIDO AppID instead of the RP ID (`appid` extension).
    public var appid: Bool?
    /// `true` when the client allowed the AppID for exclusion (`appidExclude`).
    public var appidExclude: Bool?
    /// Credential properties (`credProps`).
    public var credProps: CredentialProperties?

    /// Creates an empty set of outputs.
    public init(appid: Bool? = nil, appidExclude: Bool? = nil, credProps: CredentialProperties? = nil) {
        self.appid = appid
        self.appidExclude = appidExclude
        self.credProps = credProps
    }
}
