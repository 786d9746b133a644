import Foundation

/// What a relying party stores about a registered credential (WebAuthn §4 "credential record").
///
/// Produced by ``RegistrationVerifier``; fed back to ``AuthenticationVerifier`` at sign-in, and
/// updated with the new signature counter and backup state it returns.
public struct CredentialRecord: Sendable, Hashable, Codable {
    /// The credential id.
    public var id: [UInt8]
    /// The credential public key as COSE_Key bytes.
    public var publicKey: [UInt8]
    /// The signature counter last seen.
    public var signCount: UInt32
    /// The authenticator model.
    public var aaguid: AAGUID
    /// The transports the client reported at registration.
    public var transports: [String]
    /// Whether the credential may be backed up (BE); fixed for the credential's life.
    public var backupEligible: Bool
    /// Whether the credential was backed up at the last ceremony (BS).
    public var backupState: Bool
    /// Whether the authenticator verified the user at registration (UV).
    public var uvInitialized: Bool
    /// The attestation statement format.
    public var attestationFormat: AttestationFormat
    /// The attestation type established.
    public var attestationType: AttestationType
    /// The attestation object, kept so that attestation can be re-verified later (e.g. against new metadata).
    public var attestationObject: [UInt8]
    /// The clientDataJSON of the registration, needed with the attestation object for re-verification.
    public var attestationClientDataJSON: [UInt8]

    /// Creates a record.
    public init(
        id: [UInt8],
        publicKey: [UInt8],
        signCount: UInt32,
        aaguid: AAGUID,
        transports: [String],
        backupEligible: Bool,
        backupState: Bool,
        uvInitialized: Bool,
        attestationFormat: AttestationFormat,
        attestationType: AttestationType,
        attestationObject: [UInt8],
        attestationClientDataJSON: [UInt8]
    ) {
        self.id = id
        self.publicKey = publicKey
        self.signCount = signCount
        self.aaguid = aaguid
        self.transports = transports
        self.backupEligible = backupEligible
        self.backupState = backupState
        self.uvInitialized = uvInitialized
        self.attestationFormat = attestationFormat
        self.attestationType = attestationType
        self.attestationObject = attestationObject
        self.attestationClientDataJSON = attestationClientDataJSON
    }

    private enum CodingKeys: String, CodingKey {
        case id, publicKey, signCount, aaguid, transports, backupEligible, backupState, uvInitialized
        case attestationFormat, attestationType, attestationObject, attestationClientDataJSON
    }

    /// Byte fields are base64url strings: compact, and quick to read back (a JSON array of
    /// numbers per byte made a stored credential several times larger and slower to decode).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(Base64URLBytes.self, forKey: .id).bytes
        self.publicKey = try container.decode(Base64URLBytes.self, forKey: .publicKey).bytes
        self.signCount = try container.decode(UInt32.self, forKey: .signCount)
        self.aaguid = try container.decode(AAGUID.self, forKey: .aaguid)
        self.transports = try container.decode([String].self, forKey: .transports)
        self.backupEligible = try container.decode(Bool.self, forKey: .backupEligible)
        self.backupState = try container.decode(Bool.self, forKey: .backupState)
        self.uvInitialized = try container.decode(Bool.self, forKey: .uvInitialized)
        self.attestationFormat = try container.decode(AttestationFormat.self, forKey: .attestationFormat)
        self.attestationType = try container.decode(AttestationType.self, forKey: .attestationType)
        self.attestationObject = try container.decode(Base64URLBytes.self, forKey: .attestationObject).bytes
        self.attestationClientDataJSON = try container.decode(Base64URLBytes.self, forKey: .attestationClientDataJSON)
            .bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Base64URLBytes(self.id), forKey: .id)
        try container.encode(Base64URLBytes(self.publicKey), forKey: .publicKey)
        try container.encode(self.signCount, forKey: .signCount)
        try container.encode(self.aaguid, forKey: .aaguid)
        try container.encode(self.transports, forKey: .transports)
        try container.encode(self.backupEligible, forKey: .backupEligible)
        try container.encode(self.backupState, forKey: .backupState)
        try container.encode(self.uvInitialized, forKey: .uvInitialized)
        try container.encode(self.attestationFormat, forKey: .attestationFormat)
        try container.encode(self.attestationType, forKey: .attestationType)
        try container.encode(Base64URLBytes(self.attestationObject), forKey: .attestationObject)
        try container.encode(Base64URLBytes(self.attestationClientDataJSON), forKey: .attestationClientDataJSON)
    }
}
