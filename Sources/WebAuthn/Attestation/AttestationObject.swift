public import CBOR

/// The CBOR attestation object a client returns from a registration (WebAuthn §6.5.4):
/// `{"fmt": text, "attStmt": map, "authData": bytes}` (an array of statements for `compound`).
public struct AttestationObject: Sendable, Hashable {
    /// The attestation statement format.
    public let format: AttestationFormat
    /// The format-specific attestation statement (empty for `compound`, whose statements are in
    /// ``statementValue``).
    public let statement: CBORMap
    /// The attestation statement as decoded: a map, or an array for `compound`.
    public let statementValue: CBORValue
    /// The parsed authenticator data.
    public let authenticatorData: AuthenticatorData
    /// The bytes as received.
    public let rawValue: [UInt8]

    /// Parses an attestation object.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_cbor` for CBOR that is not well formed (indefinite
    ///   lengths and non-shortest integers included), `malformed_attestation_object` for missing
    ///   or mistyped fields, and any error of ``AuthenticatorData/init(_:)``.
    public init(_ bytes: [UInt8]) throws(WebAuthnError) {
        let value: CBORValue
        do {
            value = try CBORDecoder(options: .strict).decode(bytes)
        } catch {
            throw WebAuthnError(
                .malformedCBOR,
                "The attestation object is not valid CBOR: \(error.reason) (\(error.code) at byte \(error.offset)).",
                step: "§7.1 step 12"
            )
        }
        guard let map = value.mapValue else {
            throw WebAuthnError(
                .malformedAttestationObject,
                "The attestation object is not a CBOR map.",
                step: "§7.1 step 12"
            )
        }
        guard let format = map["fmt"]?.text else {
            throw WebAuthnError(
                .malformedAttestationObject,
                "The attestation object has no text \"fmt\".",
                step: "§7.1 step 12"
            )
        }
        guard let statementValue = map["attStmt"],
            statementValue.mapValue != nil
                || (format == AttestationFormat.compound.rawValue && statementValue.arrayValue != nil)
        else {
            throw WebAuthnError(
                .malformedAttestationObject,
                "The attestation object has no map \"attStmt\".",
                step: "§7.1 step 12"
            )
        }
        guard let authData = map["authData"]?.bytes else {
            throw WebAuthnError(
                .malformedAttestationObject,
                "The attestation object has no byte string \"authData\".",
                step: "§7.1 step 12"
            )
        }
        self.format = AttestationFormat(rawValue: format)
        self.statement = statementValue.mapValue ?? CBORMap()
        self.statementValue = statementValue
        self.authenticatorData = try AuthenticatorData(authData)
        self.rawValue = bytes
    }
}
