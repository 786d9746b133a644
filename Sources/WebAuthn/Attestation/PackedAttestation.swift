public import CBOR
import SwiftASN1
import X509

/// The `packed` attestation statement format (WebAuthn §8.2): a signature over
/// `authenticatorData || clientDataHash`, either by an attestation key certified in `x5c`
/// (basic or AttCA attestation) or by the credential key itself (self attestation).
public struct PackedAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .packed }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        let algorithm = try self.algorithm(in: statement)
        let signature = try self.signature(in: statement)
        if statement["ecdaaKeyId"] != nil {
            throw WebAuthnError(
                .unsupportedAttestationFormat,
                "ECDAA packed attestation was removed from WebAuthn and is not supported.",
                step: "§8.2"
            )
        }
        let signedData = context.authenticatorData.rawValue + context.clientDataHash

        guard let chain = try self.certificates(in: statement) else {
            // Self attestation (§8.2 verification procedure, "If x5c is not present").
            guard algorithm == context.credentialKey.algorithm else {
                throw WebAuthnError(
                    .attestationAlgorithmMismatch,
                    "The self attestation uses \(algorithm) but the credential key is \(context.credentialKey.algorithm).",
                    step: "§8.2"
                )
            }
            guard context.credentialKey.isValidSignature(signature, for: signedData) else {
                throw WebAuthnError(.signatureInvalid, "The self attestation signature does not verify.", step: "§8.2")
            }
            return AttestationResult(format: .packed, type: .self)
        }

        let leaf = try self.leaf(of: chain)
        let key = try self.attestationKey(leaf, algorithm: algorithm, context: context, step: "§8.2")
        guard key.isValidSignature(signature, for: signedData, algorithm: algorithm) else {
            throw WebAuthnError(.signatureInvalid, "The packed attestation signature does not verify.", step: "§8.2")
        }
        try Self.checkCertificateRequirements(leaf, aaguid: context.credential.aaguid)
        let outcome = try await context.validatePath(chain)
        return AttestationResult(format: .packed, type: .basic, trustPath: outcome.path, trusted: outcome.trusted)
    }

    /// The attestation certificate requirements of WebAuthn §8.2.1.
    static func checkCertificateRequirements(_ certificate: Certificate, aaguid: AAGUID) throws(WebAuthnError) {
        guard certificate.version == .v3 else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate is not an X.509 version 3 certificate.",
                step: "§8.2.1"
            )
        }
        let country = certificate.subjectValues(.RDNAttributeType.countryName)
        let organization = certificate.subjectValues(.RDNAttributeType.organizationName)
        let unit = certificate.subjectValues(.RDNAttributeType.organizationalUnitName)
        let commonName = certificate.subjectValues(.RDNAttributeType.commonName)
        guard country.count == 1, let code = country.first, code.count == 2 else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate's subject lacks a two-letter country (C).",
                step: "§8.2.1"
            )
        }
        guard organization.count == 1, organization.first?.isEmpty == false else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate's subject lacks the authenticator vendor's name (O).",
                step: "§8.2.1"
            )
        }
        guard unit == ["Authenticator Attestation"] else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate's subject OU must be \"Authenticator Attestation\".",
                step: "§8.2.1"
            )
        }
        guard commonName.count == 1 else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate's subject lacks a common name (CN).",
                step: "§8.2.1"
            )
        }
        try certificate.checkAAGUIDExtension(matches: aaguid)
        guard !certificate.isCertificateAuthority else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate is a CA certificate; its basic constraints must say CA false.",
                step: "§8.2.1"
            )
        }
    }
}
