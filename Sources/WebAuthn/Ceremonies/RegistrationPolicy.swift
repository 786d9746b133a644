public import Foundation
public import X509

/// The relying party's requirements for a registration ceremony.
public struct RegistrationPolicy: Sendable {
    /// The RP ID and origins.
    public var relyingParty: RelyingParty
    /// Require the UV flag (user verified by PIN or biometrics).
    public var requireUserVerification: Bool
    /// The credential algorithms accepted (`pubKeyCredParams`), in the caller's order.
    public var allowedAlgorithms: [COSEAlgorithm]
    /// Certificates attestation paths must chain to. Empty: check every attestation requirement
    /// but report the attestation as untrusted.
    public var trustAnchors: [Certificate]
    /// Reject registrations whose attestation does not chain to a trust anchor (this includes
    /// `none` and self attestation).
    public var requireTrustedAttestation: Bool
    /// The instant at which certificates must be valid; `nil` means now.
    public var verificationTime: Date?
    /// Accept RS1 (SHA-1) credential keys and attestation signatures. Off by default.
    public var allowRS1: Bool
    /// Accepted client data types.
    public var clientDataTypes: [String]
    /// The attestation statement formats accepted, by verifier.
    public var attestationVerifiers: [any AttestationStatementVerifier]

    /// The formats this library verifies.
    public static let defaultAttestationVerifiers: [any AttestationStatementVerifier] = [
        NoneAttestation(), PackedAttestation(), FIDOU2FAttestation(),
    ]

    /// Creates a policy.
    public init(
        relyingParty: RelyingParty,
        requireUserVerification: Bool = false,
        allowedAlgorithms: [COSEAlgorithm] = COSEAlgorithm.defaultAllowed,
        trustAnchors: [Certificate] = [],
        requireTrustedAttestation: Bool = false,
        verificationTime: Date? = nil,
        allowRS1: Bool = false,
        clientDataTypes: [String] = ["webauthn.create"],
        attestationVerifiers: [any AttestationStatementVerifier] = RegistrationPolicy.defaultAttestationVerifiers
    ) {
        self.relyingParty = relyingParty
        self.requireUserVerification = requireUserVerification
        self.allowedAlgorithms = allowedAlgorithms
        self.trustAnchors = trustAnchors
        self.requireTrustedAttestation = requireTrustedAttestation
        self.verificationTime = verificationTime
        self.allowRS1 = allowRS1
        self.clientDataTypes = clientDataTypes
        self.attestationVerifiers = attestationVerifiers
    }
}
