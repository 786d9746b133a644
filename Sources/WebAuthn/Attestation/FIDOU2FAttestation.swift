public import CBOR
import Crypto
import X509

/// The `fido-u2f` attestation statement format (WebAuthn §8.6): a U2F (CTAP1) registration
/// signature by the authenticator's P-256 attestation key over
/// `0x00 || rpIdHash || clientDataHash || credentialId || publicKeyU2F`.
public struct FIDOU2FAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .fidoU2F }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        let signature = try self.signature(in: statement)
        guard let chain = try self.certificates(in: statement), chain.count == 1 else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "A fido-u2f attestation statement must carry exactly one certificate in \"x5c\".",
                step: "§8.6 step 2"
            )
        }
        guard case .p256(let attestationKey)? = chain.first?.signatureVerificationKey else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The fido-u2f attestation certificate's key is not an EC key on P-256.",
                step: "§8.6 step 2"
            )
        }
        guard case .p256(let credentialKey) = context.credentialKey.verificationKey else {
            throw WebAuthnError(
                .keyAlgorithmMismatch,
                "A fido-u2f credential must be an ES256 key on P-256, not \(context.credentialKey.algorithm).",
                step: "§8.6 step 4"
            )
        }
        let publicKeyU2F = Array(credentialKey.x963Representation)
        let verificationData: [UInt8] =
            [0x00] + context.authenticatorData.rpIDHash + context.clientDataHash + context.credential.credentialID
            + publicKeyU2F
        guard
            SignatureVerificationKey.p256(attestationKey).isValidSignature(
                signature,
                for: verificationData,
                algorithm: .es256
            )
        else {
            throw WebAuthnError(
                .signatureInvalid,
                "The fido-u2f attestation signature does not verify.",
                step: "§8.6 step 6"
            )
        }
        let outcome = try await context.validatePath(chain)
        return AttestationResult(format: .fidoU2F, type: .basic, trustPath: outcome.path, trusted: outcome.trusted)
    }
}
