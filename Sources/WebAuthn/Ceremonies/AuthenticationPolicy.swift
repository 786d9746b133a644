/// The relying party's requirements for an authentication ceremony.
public struct AuthenticationPolicy: Sendable, Hashable {
    /// The RP ID and origins.
    public var relyingParty: RelyingParty
    /// Require the UV flag (user verified by PIN or biometrics).
    public var requireUserVerification: Bool
    /// Accept a signature counter that did not increase, reporting it as a possible clone
    /// instead of rejecting. Off by default.
    public var allowSignCountRegression: Bool
    /// The FIDO AppID (`appid` extension) the RP allowed for credentials registered with U2F.
    public var appID: String?
    /// Accepted client data types.
    public var clientDataTypes: [String]

    /// Creates a policy.
    public init(
        relyingParty: RelyingParty,
        requireUserVerification: Bool = false,
        allowSignCountRegression: Bool = false,
        appID: String? = nil,
        clientDataTypes: [String] = ["webauthn.get"]
    ) {
        self.relyingParty = relyingParty
        self.requireUserVerification = requireUserVerification
        self.allowSignCountRegression = allowSignCountRegression
        self.appID = appID
        self.clientDataTypes = clientDataTypes
    }
}
