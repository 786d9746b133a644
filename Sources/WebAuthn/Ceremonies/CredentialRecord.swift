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
}
