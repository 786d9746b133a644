/// What the relying party knows before an assertion arrives: the challenge it issued and the
/// stored credential the assertion must come from.
public struct AuthenticationExpectation: Sendable, Hashable {
    /// The challenge issued for this ceremony.
    public var challenge: [UInt8]
    /// The stored credential's public key.
    public var publicKey: COSEKey
    /// The stored signature counter.
    public var storedSignCount: UInt32
    /// The stored credential id; when set, the response must be for this credential.
    public var credentialID: [UInt8]?
    /// The `allowCredentials` list sent to the client, when the user was identified first.
    public var allowCredentials: [[UInt8]]?
    /// The user handle of the account the credential belongs to; when set, a returned user
    /// handle must equal it.
    public var userHandle: [UInt8]?
    /// Require the response to carry a user handle (usernameless sign-in with a discoverable credential).
    public var requireUserHandle: Bool
    /// The stored backup eligibility (BE), when known; it must not change.
    public var backupEligible: Bool?

    /// Creates an expectation.
    public init(
        challenge: [UInt8],
        publicKey: COSEKey,
        storedSignCount: UInt32,
        credentialID: [UInt8]? = nil,
        allowCredentials: [[UInt8]]? = nil,
        userHandle: [UInt8]? = nil,
        requireUserHandle: Bool = false,
        backupEligible: Bool? = nil
    ) {
        self.challenge = challenge
        self.publicKey = publicKey
        self.storedSignCount = storedSignCount
        self.credentialID = credentialID
        self.allowCredentials = allowCredentials
        self.userHandle = userHandle
        self.requireUserHandle = requireUserHandle
        self.backupEligible = backupEligible
    }

    /// Creates an expectation from a stored credential record.
    public init(challenge: [UInt8], credential: CredentialRecord, userHandle: [UInt8]? = nil) throws(WebAuthnError) {
        self.init(
            challenge: challenge,
            publicKey: try COSEKey(cbor: credential.publicKey, options: COSEKey.Options(allowRS1: true)),
            storedSignCount: credential.signCount,
            credentialID: credential.id,
            userHandle: userHandle,
            backupEligible: credential.backupEligible
        )
    }
}
