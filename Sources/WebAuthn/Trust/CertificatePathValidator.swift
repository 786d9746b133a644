public import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) public import X509

/// Validates an attestation certificate path with swift-certificates.
///
/// Each certificate must be signed by the next. With trust anchors, the path must chain to one of
/// them under RFC 5280 rules (validity at the verification time, basic constraints, key usage,
/// name constraints). How strict a miss is depends on where the anchors came from:
/// anchors the caller chose are required (no chain is `attestation_untrusted`), while the
/// bundled defaults only decide whether the result says `trusted`.
public struct CertificatePathValidator: Sendable {
    /// The anchors the path may reach. Empty means "no anchor known".
    public var trustAnchors: [Certificate]
    /// The instant at which every certificate must be valid.
    public var verificationTime: Date
    /// Throw `certificate_expired` for a certificate not valid at ``verificationTime``. Without
    /// it, dates still decide whether the path is trusted, but an untrusted path is not refused
    /// for its dates alone.
    public var enforceValidityPeriod: Bool
    /// Throw `attestation_untrusted` when anchors are given and the path reaches none.
    public var requireAnchor: Bool

    /// Creates a validator. By default dates are enforced and, when anchors are given, reaching
    /// one is required.
    public init(
        trustAnchors: [Certificate],
        verificationTime: Date,
        enforceValidityPeriod: Bool = true,
        requireAnchor: Bool = true
    ) {
        self.trustAnchors = trustAnchors
        self.verificationTime = verificationTime
        self.enforceValidityPeriod = enforceValidityPeriod
        self.requireAnchor = requireAnchor
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
    ///   verification time (if enforced), `attestation_certificate_invalid` when a certificate is
    ///   not signed by the next one, `attestation_untrusted` when an anchor is required and none
    ///   can be reached.
    public func validate(_ chain: [Certificate]) async throws(WebAuthnError) -> Outcome {
        guard let leaf = chain.first else {
            throw WebAuthnError(.malformedAttestationStatement, "The attestation has an empty certificate path.")
        }
        if self.enforceValidityPeriod, let certificate = chain.first(where: { !self.isCurrent($0) }) {
            throw WebAuthnError(
                .certificateExpired,
                "The attestation certificate \"\(certificate.subject)\" is valid from \(certificate.notValidBefore) to \(certificate.notValidAfter), not at \(self.verificationTime)."
            )
        }
        guard !self.trustAnchors.isEmpty else {
            try Self.checkLinks(chain)
            return Outcome(path: chain, trusted: false)
        }
        var verifier = Verifier(rootCertificates: CertificateStore(self.distinctAnchors)) {
            RFC5280Policy(fixedExpiryValidationTime: self.verificationTime)
            AttestationSubjectAlternativeNamePolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(chain.dropFirst())))
        switch result {
        case .validCertificate(let validated):
            // The verifier checked every signature on the path it built; x5c links it did not
            // use (a root copy, a spare certificate) still must hold.
            let path = Array(validated)
            try Self.checkLinks(chain) { certificate, issuer in
                guard let index = path.firstIndex(of: certificate), index + 1 < path.count else { return false }
                return path[index + 1].publicKey == issuer.publicKey
            }
            return Outcome(path: path, trusted: true)
        case .couldNotValidate(let failures):
            try Self.checkLinks(chain)
            guard self.requireAnchor else { return Outcome(path: chain, trusted: false) }
            let reason = failures.first.map { " (\($0.policyFailureReason))" } ?? ""
            throw WebAuthnError(
                .attestationUntrusted,
                "The attestation certificate does not chain to any of the \(self.trustAnchors.count) trust anchors\(reason)."
            )
        }
    }
}

extension CertificatePathValidator {
    /// The anchors with re-issued roots folded together: of several anchors with the same subject
    /// and key (Google's hardware attestation roots are four issues of one key), only one valid
    /// at the verification time is kept, so path building tries each key once.
    var distinctAnchors: [Certificate] {
        var chosen: [Certificate] = []
        for anchor in self.trustAnchors {
            if let index = chosen.firstIndex(where: { $0.subject == anchor.subject && $0.publicKey == anchor.publicKey }
            ) {
                if self.isCurrent(anchor) && !self.isCurrent(chosen[index]) { chosen[index] = anchor }
            } else {
                chosen.append(anchor)
            }
        }
        return chosen
    }

    /// Whether `certificate` is valid at the verification time.
    func isCurrent(_ certificate: Certificate) -> Bool {
        certificate.notValidBefore <= self.verificationTime && self.verificationTime <= certificate.notValidAfter
    }

    /// Each x5c certificate must be signed by the next one.
    static func checkLinks(
        _ chain: [Certificate],
        alreadyVerified: (Certificate, Certificate) -> Bool = { _, _ in false }
    ) throws(WebAuthnError) {
        for (certificate, issuer) in zip(chain, chain.dropFirst()) where !alreadyVerified(certificate, issuer) {
            guard issuer.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                throw WebAuthnError(
                    .attestationCertificateInvalid,
                    "The attestation certificate \"\(certificate.subject)\" is not signed by the next certificate in x5c."
                )
            }
        }
    }
}

/// Claims the subject alternative name extension, which RFC 5280 makes critical when the subject
/// is empty — as in a TPM's AIK certificate, whose SAN names the TPM and which
/// ``TPMAttestation`` reads and checks itself. Attestation paths name no server, so there is no
/// host name for the SAN to constrain.
struct AttestationSubjectAlternativeNamePolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.subjectAlternativeName]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        .meetsPolicy
    }
}
