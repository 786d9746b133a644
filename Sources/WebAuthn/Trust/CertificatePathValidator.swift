public import Foundation
@_spi(FixedExpiryValidationTime) public import X509

/// Validates an attestation certificate path with swift-certificates.
///
/// Every certificate must be valid at the verification time and each must be signed by the next.
/// With trust anchors, the path must chain to one of them under RFC 5280 rules (basic
/// constraints, name constraints, validity); otherwise the path is checked but reported untrusted.
public struct CertificatePathValidator: Sendable {
    /// The anchors the path must reach. Empty means "no anchor known".
    public var trustAnchors: [Certificate]
    /// The instant at which every certificate must be valid.
    public var verificationTime: Date

    /// Creates a validator.
    public init(trustAnchors: [Certificate], verificationTime: Date) {
        self.trustAnchors = trustAnchors
        self.verificationTime = verificationTime
    }

    /// The validated path (leaf first) and whether it reached a trust anchor.
    public struct Outcome: Sendable, Hashable {
        /// The certificates from the leaf towards the anchor.
        public var path: [Certificate]
        /// Whether the path chains to one of the trust anchors.
        public var trusted: Bool
    }

    /// Validates `chain` (leaf first, as in `x5c`).
    ///
    /// - Throws: ``WebAuthnError`` `certificate_expired` when a certificate is not valid at the
    ///   verification time, `attestation_certificate_invalid` when a certificate is not signed by
    ///   the next one, `attestation_untrusted` when anchors are given and none can be reached.
    public func validate(_ chain: [Certificate]) async throws(WebAuthnError) -> Outcome {
        guard let leaf = chain.first else {
            throw WebAuthnError(.malformedAttestationStatement, "The attestation has an empty certificate path.")
        }
        for certificate in chain {
            guard certificate.notValidBefore <= self.verificationTime,
                self.verificationTime <= certificate.notValidAfter
            else {
                throw WebAuthnError(
                    .certificateExpired,
                    "The attestation certificate \"\(certificate.subject)\" is valid from \(certificate.notValidBefore) to \(certificate.notValidAfter), not at \(self.verificationTime)."
                )
            }
        }
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            guard issuer.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                throw WebAuthnError(
                    .attestationCertificateInvalid,
                    "The attestation certificate \"\(certificate.subject)\" is not signed by the next certificate in x5c."
                )
            }
        }
        guard !self.trustAnchors.isEmpty else {
            return Outcome(path: chain, trusted: false)
        }
        var verifier = Verifier(rootCertificates: CertificateStore(self.trustAnchors)) {
            RFC5280Policy(fixedExpiryValidationTime: self.verificationTime)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(chain.dropFirst())))
        switch result {
        case .validCertificate(let validated):
            return Outcome(path: Array(validated), trusted: true)
        case .couldNotValidate(let failures):
            let reason = failures.first.map { " (\($0.policyFailureReason))" } ?? ""
            throw WebAuthnError(
                .attestationUntrusted,
                "The attestation certificate does not chain to any of the \(self.trustAnchors.count) trust anchors\(reason)."
            )
        }
    }
}
