import Crypto

extension AuthenticatorData {
    /// Writes authenticator data (WebAuthn §6.1) the way an authenticator does — SHA-256 of
    /// `relyingPartyID` ‖ flags ‖ `signCount` (big-endian) ‖ the attested credential data ‖ the
    /// extension outputs — setting the AT and ED flags for what follows. The one writer of the
    /// software authenticators (FIDO2Testing's CTAP 2.1 authenticator, SoftwareWebAuthn's key)
    /// and the tests' authenticator; ``init(_:)`` reads it back.
    ///
    /// - Parameters:
    ///   - credential: the AAGUID (16 bytes), credential id and COSE public key of a new
    ///     credential, for a registration.
    ///   - extensions: the extension outputs as CBOR bytes.
    public static func encode(
        relyingPartyID: String,
        flags: AuthenticatorFlags,
        signCount: UInt32,
        credential: (aaguid: [UInt8], id: [UInt8], publicKey: [UInt8])? = nil,
        extensions: [UInt8]? = nil
    ) -> [UInt8] {
        var flags = flags
        if credential != nil { flags.insert(.attestedCredentialData) }
        if extensions != nil { flags.insert(.extensionData) }
        var data = Array(SHA256.hash(data: Array(relyingPartyID.utf8)))
        data.reserveCapacity(37 + (credential.map { 18 + $0.id.count + $0.publicKey.count } ?? 0))
        data.append(flags.rawValue)
        data += [
            UInt8(signCount >> 24), UInt8(signCount >> 16 & 0xff), UInt8(signCount >> 8 & 0xff),
            UInt8(signCount & 0xff),
        ]
        if let credential {
            data += credential.aaguid
            data += [UInt8(credential.id.count >> 8 & 0xff), UInt8(credential.id.count & 0xff)]
            data += credential.id + credential.publicKey
        }
        data += extensions ?? []
        return data
    }
}
