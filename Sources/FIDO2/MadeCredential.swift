public import CBOR

/// A credential a security key created, with its attestation, ready for a relying party.
public struct MadeCredential: Sendable, Hashable {
    /// The attestation statement format (`packed`, `fido-u2f`, `none`, …).
    public var format: String
    /// The authenticator data, as the key signed it.
    public var authenticatorData: [UInt8]
    /// The attestation statement, as decoded CBOR.
    public var attestationStatement: CBORMap
    /// The credential id.
    public var credentialID: [UInt8]
    /// The key for this credential's entry in the large-blob array, when `largeBlobKey` was asked for.
    public var largeBlobKey: [UInt8]? = nil

    /// The W3C attestation object: `{"fmt", "attStmt", "authData"}`.
    public var attestationObject: [UInt8] {
        let object: CBORMap = [
            "fmt": .textString(self.format),
            "attStmt": .map(self.attestationStatement),
            "authData": .byteString(self.authenticatorData),
        ]
        return CBOREncoder().encode(.map(object))
    }
}
