public import CBOR
import SwiftASN1
import X509

/// The `android-key` attestation format (WebAuthn §8.4): a signature by the credential key
/// itself, whose certificate chain from Android's keystore carries a Key Attestation extension
/// saying how and for whom the key was made. Google's hardware attestation roots are the
/// default anchors.
public struct AndroidKeyAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .androidKey }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        let algorithm = try self.algorithm(in: statement)
        let signature = try self.signature(in: statement)
        guard let chain = try self.certificates(in: statement) else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "An android-key attestation statement must carry its certificates in \"x5c\".",
                step: "§8.4 step 1"
            )
        }
        let leaf = try self.leaf(of: chain)
        let key = try self.attestationKey(leaf, algorithm: algorithm, context: context, step: "§8.4 step 2")
        // Step 2: the signature over authenticatorData ‖ clientDataHash.
        guard
            key.isValidSignature(
                signature,
                for: context.authenticatorData.rawValue + context.clientDataHash,
                algorithm: algorithm
            )
        else {
            throw WebAuthnError(
                .signatureInvalid,
                "The android-key attestation signature does not verify.",
                step: "§8.4 step 2"
            )
        }
        // Step 3: the certificate is for the credential key.
        guard key.isSameKey(as: context.credentialKey.verificationKey) else {
            throw WebAuthnError(
                .attestationKeyMismatch,
                "The android-key attestation certificate is for another key than the credential public key.",
                step: "§8.4 step 3"
            )
        }
        // Step 4: the Key Attestation extension.
        let description = try Self.keyDescription(in: leaf)
        guard description.attestationChallenge == context.clientDataHash else {
            throw WebAuthnError(
                .attestationNonceMismatch,
                "The android-key attestation challenge is not this registration's client data hash.",
                step: "§8.4 step 4"
            )
        }
        guard !description.softwareEnforced.allApplications && !description.teeEnforced.allApplications else {
            throw WebAuthnError(
                .attestationPolicyViolation,
                "The android-key credential is usable by all applications (allApplications), not scoped to this RP.",
                step: "§8.4 step 4"
            )
        }
        let lists: [AndroidKeyDescription.AuthorizationList]
        switch context.formatPolicy.androidKeyAuthorizations {
        case .trustedExecutionEnvironmentOnly: lists = [description.teeEnforced]
        case .either: lists = [description.teeEnforced, description.softwareEnforced]
        }
        guard lists.contains(where: { $0.origin == AndroidKeyDescription.originGenerated }) else {
            throw WebAuthnError(
                .attestationPolicyViolation,
                "The android-key credential was not generated in the keystore (origin is not KM_ORIGIN_GENERATED).",
                step: "§8.4 step 4"
            )
        }
        guard lists.contains(where: { $0.purposes.contains(AndroidKeyDescription.purposeSign) }) else {
            throw WebAuthnError(
                .attestationPolicyViolation,
                "The android-key credential is not a signing key (purpose lacks KM_PURPOSE_SIGN).",
                step: "§8.4 step 4"
            )
        }
        let outcome = try await context.validatePath(chain)
        return AttestationResult(format: .androidKey, type: .basic, trustPath: outcome.path, trusted: outcome.trusted)
    }

    static func keyDescription(in certificate: Certificate) throws(WebAuthnError) -> AndroidKeyDescription {
        guard let ext = certificate.extensions[oid: .androidKeyDescription] else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The android-key attestation certificate has no Key Attestation extension (1.3.6.1.4.1.11129.2.1.17).",
                step: "§8.4 step 4"
            )
        }
        do {
            return try AndroidKeyDescription(derEncoded: Array(ext.value))
        } catch {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The android-key attestation certificate's Key Attestation extension is not a valid KeyDescription.",
                step: "§8.4 step 4"
            )
        }
    }
}
