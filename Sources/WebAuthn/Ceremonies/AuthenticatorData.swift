public import CBOR

/// Authenticator data (WebAuthn §6.1): what the authenticator signs about itself.
///
/// Layout: rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian) ‖ attested credential data (if AT)
/// ‖ extensions CBOR map (if ED). Parsing is strict: the COSE key and the extensions must be
/// well-formed CBOR in shortest form, the flags must announce exactly the data that follows, and
/// no bytes may be left over.
public struct AuthenticatorData: Sendable, Hashable {
    /// The bytes as received; signatures cover these.
    public let rawValue: [UInt8]
    /// SHA-256 of the RP ID the credential is scoped to.
    public let rpIDHash: [UInt8]
    /// The flags.
    public let flags: AuthenticatorFlags
    /// The signature counter.
    public let signCount: UInt32
    /// The attested credential data, present when the AT flag is set.
    public let attestedCredentialData: AttestedCredentialData?
    /// The authenticator extension outputs, present when the ED flag is set.
    public let extensions: CBORMap?

    /// Parses authenticator data.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_authenticator_data` when it is too short or its
    ///   length does not match its flags, `extension_data_mismatch` when the ED flag and the data
    ///   disagree, `malformed_cbor` for bad CBOR inside it.
    public init(_ bytes: [UInt8]) throws(WebAuthnError) {
        guard bytes.count >= 37 else {
            throw WebAuthnError(
                .malformedAuthenticatorData,
                "Authenticator data is \(bytes.count) bytes; at least 37 are required.",
                step: "§6.1"
            )
        }
        self.rawValue = bytes
        self.rpIDHash = Array(bytes[0..<32])
        self.flags = AuthenticatorFlags(rawValue: bytes[32])
        self.signCount = UInt32(bytes[33]) << 24 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 8 | UInt32(bytes[36])
        var offset = 37
        let decoder = CBORDecoder(options: .ctap2Canonical)

        if self.flags.contains(.attestedCredentialData) {
            guard bytes.count >= offset + 18 else {
                throw WebAuthnError(
                    .malformedAuthenticatorData,
                    "The AT flag is set but the attested credential data is truncated.",
                    step: "§6.5.1"
                )
            }
            let aaguid = AAGUID(unchecked: Array(bytes[offset..<(offset + 16)]))
            let idLength = Int(bytes[offset + 16]) << 8 | Int(bytes[offset + 17])
            offset += 18
            guard bytes.count >= offset + idLength else {
                throw WebAuthnError(
                    .malformedAuthenticatorData,
                    "The credential id claims \(idLength) bytes but only \(bytes.count - offset) remain.",
                    step: "§6.5.1"
                )
            }
            let credentialID = Array(bytes[offset..<(offset + idLength)])
            offset += idLength
            let keyValue: CBORValue
            let keyLength: Int
            do {
                (keyValue, keyLength) = try decoder.decodePrefix(bytes[offset...])
            } catch {
                throw WebAuthnError(
                    .malformedCBOR,
                    "The credential public key is not valid CBOR: \(error.reason) (\(error.code)).",
                    step: "§6.5.1"
                )
            }
            self.attestedCredentialData = AttestedCredentialData(
                aaguid: aaguid,
                credentialID: credentialID,
                publicKeyValue: keyValue,
                publicKeyBytes: Array(bytes[offset..<(offset + keyLength)])
            )
            offset += keyLength
        } else {
            self.attestedCredentialData = nil
        }

        if self.flags.contains(.extensionData) {
            guard offset < bytes.count else {
                throw WebAuthnError(
                    .extensionDataMismatch,
                    "The ED flag is set but no extensions follow.",
                    step: "§6.1"
                )
            }
            let value: CBORValue
            do {
                value = try decoder.decode(bytes[offset...])
            } catch {
                if error.code == .trailingBytes {
                    throw WebAuthnError(
                        .malformedAuthenticatorData,
                        "Bytes follow the extensions map in authenticator data.",
                        step: "§6.1"
                    )
                }
                throw WebAuthnError(
                    .malformedCBOR,
                    "The authenticator extensions are not valid CBOR: \(error.reason) (\(error.code)).",
                    step: "§6.1"
                )
            }
            guard let map = value.mapValue else {
                throw WebAuthnError(.malformedAuthenticatorData, "The authenticator extensions are not a CBOR map.")
            }
            self.extensions = map
        } else {
            guard offset == bytes.count else {
                let code: WebAuthnError.Code =
                    self.flags.contains(.attestedCredentialData) ? .malformedAuthenticatorData : .extensionDataMismatch
                throw WebAuthnError(
                    code,
                    "\(bytes.count - offset) bytes follow the authenticator data that its flags announce.",
                    step: "§6.1"
                )
            }
            self.extensions = nil
        }
    }

    /// Whether the UP flag is set.
    public var userPresent: Bool { self.flags.contains(.userPresent) }
    /// Whether the UV flag is set.
    public var userVerified: Bool { self.flags.contains(.userVerified) }
    /// Whether the BE flag is set.
    public var backupEligible: Bool { self.flags.contains(.backupEligible) }
    /// Whether the BS flag is set.
    public var backupState: Bool { self.flags.contains(.backupState) }
}
