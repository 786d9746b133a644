public import CBOR

/// The attested credential data inside authenticator data (WebAuthn §6.5.1): the authenticator
/// model, the new credential's id and its public key.
public struct AttestedCredentialData: Sendable, Hashable {
    /// The authenticator model.
    public let aaguid: AAGUID
    /// The credential id (at most 1023 bytes are accepted by the registration ceremony).
    public let credentialID: [UInt8]
    /// The credential public key as decoded CBOR.
    public let publicKeyValue: CBORValue
    /// The credential public key's COSE_Key bytes, exactly as the authenticator wrote them.
    public let publicKeyBytes: [UInt8]
}
