public import CBOR

/// The outcome of a successful registration ceremony.
public struct VerifiedRegistration: Sendable {
    /// The record to store for the new credential.
    public var credential: CredentialRecord
    /// The parsed credential public key.
    public var publicKey: COSEKey
    /// What the attestation statement proved.
    public var attestation: AttestationResult
    /// Whether the UV flag was set.
    public var userVerified: Bool
    /// The authenticator extension outputs, when any.
    public var authenticatorExtensions: CBORMap?
    /// The client extension outputs.
    public var clientExtensionResults: ClientExtensionResults?
}
