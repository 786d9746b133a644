/// What to ask a security key for when enrolling it (CTAP2 `authenticatorMakeCredential`).
public struct MakeCredentialRequest: Sendable, Hashable {
    /// Which enterprise attestation to ask for (CTAP 2.1 `enterpriseAttestation`).
    public enum EnterpriseAttestation: Int32, Sendable, Hashable {
        /// The key decides, from its own list of RP IDs.
        case vendorFacilitated = 1
        /// The platform vouches that the RP is allowed.
        case platformManaged = 2
    }

    /// Authenticator extensions to request.
    public struct Extensions: Sendable, Hashable {
        /// `hmac-secret`: the credential can derive secrets (WebAuthn `prf`).
        public var hmacSecret: Bool = false
        /// `credProtect` level: 1 UV optional, 2 UV optional with credential id list, 3 UV required.
        public var credentialProtection: Int?
        /// `credBlob`: a small blob stored with the credential.
        public var credentialBlob: [UInt8]?
        /// `largeBlobKey`: a key for the authenticator's large-blob array.
        public var largeBlobKey: Bool = false
        /// `minPinLength`: ask the key to report its minimum PIN length to this RP.
        public var minPINLength: Bool = false

        /// No extensions.
        public init() {}
    }

    /// The RP ID the credential is scoped to.
    public var relyingPartyID: String
    /// The relying party's display name.
    public var relyingPartyName: String?
    /// The user handle (at most 64 bytes).
    public var userID: [UInt8]
    /// The account name.
    public var userName: String?
    /// The name shown to the person.
    public var userDisplayName: String?
    /// SHA-256 of the clientDataJSON the relying party will receive.
    public var clientDataHash: [UInt8]
    /// The credential algorithm: ES256, EdDSA or RS256.
    public var algorithm: COSEAlgorithm
    /// Create a discoverable (resident) credential.
    public var residentKey: Bool
    /// Require (`true`) or forbid (`false`) user verification; `nil` leaves it to the key.
    public var userVerification: Bool?
    /// Credential ids already registered for this user; the key refuses to enrol twice.
    public var excludeCredentials: [[UInt8]]
    /// Extensions.
    public var extensions: Extensions
    /// Ask for enterprise attestation (the key must have it enabled, and libfido2 must be 1.14 or
    /// later: 1.12 has no way to send it, and FIDOKit then refuses rather than enrol without it).
    public var enterpriseAttestation: EnterpriseAttestation? = nil

    /// Creates a request.
    public init(
        relyingPartyID: String,
        relyingPartyName: String? = nil,
        userID: [UInt8],
        userName: String? = nil,
        userDisplayName: String? = nil,
        clientDataHash: [UInt8],
        algorithm: COSEAlgorithm = .es256,
        residentKey: Bool = false,
        userVerification: Bool? = nil,
        excludeCredentials: [[UInt8]] = [],
        extensions: Extensions = Extensions()
    ) {
        self.relyingPartyID = relyingPartyID
        self.relyingPartyName = relyingPartyName
        self.userID = userID
        self.userName = userName
        self.userDisplayName = userDisplayName
        self.clientDataHash = clientDataHash
        self.algorithm = algorithm
        self.residentKey = residentKey
        self.userVerification = userVerification
        self.excludeCredentials = excludeCredentials
        self.extensions = extensions
    }
}
