/// What to ask a security key for when signing in (CTAP2 `authenticatorGetAssertion`).
public struct GetAssertionRequest: Sendable, Hashable {
    /// The RP ID.
    public var relyingPartyID: String
    /// SHA-256 of the clientDataJSON the relying party will receive.
    public var clientDataHash: [UInt8]
    /// The credentials that may answer; empty asks for discoverable credentials.
    public var allowCredentials: [[UInt8]]
    /// Require a touch (user presence). `false` makes a silent assertion.
    public var userPresence: Bool
    /// Require (`true`) or forbid (`false`) user verification; `nil` leaves it to the key.
    public var userVerification: Bool?
    /// `hmac-secret` salt (32 or 64 bytes), for keys that derive secrets.
    public var hmacSalt: [UInt8]?
    /// Ask for each credential's large-blob key (`largeBlobKey` extension).
    public var largeBlobKey: Bool

    /// Creates a request.
    public init(
        relyingPartyID: String,
        clientDataHash: [UInt8],
        allowCredentials: [[UInt8]] = [],
        userPresence: Bool = true,
        userVerification: Bool? = nil,
        hmacSalt: [UInt8]? = nil,
        largeBlobKey: Bool = false
    ) {
        self.relyingPartyID = relyingPartyID
        self.clientDataHash = clientDataHash
        self.allowCredentials = allowCredentials
        self.userPresence = userPresence
        self.userVerification = userVerification
        self.hmacSalt = hmacSalt
        self.largeBlobKey = largeBlobKey
    }
}
