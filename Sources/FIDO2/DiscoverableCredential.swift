/// A discoverable (resident) credential stored on a key, as credential management lists it.
public struct DiscoverableCredential: Sendable, Hashable {
    /// The credential id.
    public var id: [UInt8]
    /// The RP ID it belongs to.
    public var relyingPartyID: String
    /// The user handle.
    public var userID: [UInt8]
    /// The account name.
    public var userName: String?
    /// The name shown to the person.
    public var userDisplayName: String?
    /// The credProtect level (1–3), when the key reports it.
    public var protection: Int?
}

/// A relying party that has discoverable credentials on a key.
public struct StoredRelyingParty: Sendable, Hashable {
    /// The RP ID.
    public var id: String
    /// The RP's name, when stored.
    public var name: String?
    /// SHA-256 of the RP ID.
    public var idHash: [UInt8]
}

/// How full a key's discoverable-credential storage is.
public struct CredentialStorage: Sendable, Hashable {
    /// Discoverable credentials stored.
    public var existing: Int
    /// How many more fit (an estimate the key gives).
    public var remaining: Int
}
