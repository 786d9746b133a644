import Crypto

/// A JWS in compact serialization (RFC 7515 §7.1): `header.payload.signature`, each base64url,
/// with the signing certificates in the header's `x5c`: what SafetyNet attestations and FIDO
/// metadata BLOBs are. Parsing checks the syntax only; ``verify(with:)`` checks the signature.
public struct CompactJWS: Sendable {
    /// The protected header's `alg`, as a COSE algorithm.
    public let algorithm: COSEAlgorithm
    /// The header's `x5c` (DER certificates, leaf first), when present.
    public let certificateChain: [[UInt8]]?
    /// The decoded payload.
    public let payload: [UInt8]
    /// The signature, as JWS carries it (raw `r ‖ s` for ECDSA).
    public let signature: [UInt8]
    /// `ASCII(header) . ASCII(payload)`: the signed bytes.
    public let signingInput: [UInt8]

    /// Parses `header.payload.signature`.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_attestation_statement` for anything but three
    ///   base64url parts, `malformed_json` for a header that is not JSON, `unsupported_algorithm`.
    public init(_ bytes: [UInt8]) throws(WebAuthnError) {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
            let payload = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
            let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self))
        else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The JWS is not three base64url parts separated by dots."
            )
        }
        let fields = try JSONFields(try JSONNode.parse(header), path: "JWS header")
        guard let algorithm = Self.algorithms[try fields.string("alg")] else {
            throw WebAuthnError(
                .unsupportedAlgorithm,
                "The JWS uses algorithm \"\(try fields.string("alg"))\", which is not accepted."
            )
        }
        self.algorithm = algorithm
        if let x5c = try fields.optionalStrings("x5c") {
            var chain: [[UInt8]] = []
            for entry in x5c {
                guard let der = Base64URL.decode(entry) else {
                    throw WebAuthnError(.malformedBase64, "A JWS x5c certificate is not base64.")
                }
                chain.append(der)
            }
            self.certificateChain = chain
        } else {
            self.certificateChain = nil
        }
        self.payload = payload
        self.signature = signature
        self.signingInput = Array(bytes[..<(parts[0].count + 1 + parts[1].count)])
    }

    /// RFC 7518 `alg` names and their COSE equivalents.
    static let algorithms: [String: COSEAlgorithm] = [
        "RS256": .rs256, "RS384": .rs384, "RS512": .rs512, "PS256": .ps256, "PS384": .ps384, "PS512": .ps512,
        "ES256": .es256, "ES384": .es384, "ES512": .es512, "EdDSA": .edDSA,
    ]

    /// Checks the signature with `key`. JWS ECDSA signatures are `r ‖ s`; they are re-encoded
    /// as DER for the shared verifier.
    public func verify(with key: SignatureVerificationKey) -> Bool {
        guard key.supports(self.algorithm) else { return false }
        var signature = self.signature
        switch key {
        case .p256:
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            signature = Array(parsed.derRepresentation)
        case .p384:
            guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            signature = Array(parsed.derRepresentation)
        case .p521:
            guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            signature = Array(parsed.derRepresentation)
        case .ed25519, .rsa:
            break
        }
        return key.isValidSignature(signature, for: self.signingInput, algorithm: self.algorithm)
    }
}
