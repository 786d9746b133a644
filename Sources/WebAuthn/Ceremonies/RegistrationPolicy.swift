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
    /// Certificates attestation paths must chain to, whatever the format. Empty (and no other
    /// anchors below): check every attestation requirement but report the attestation as untrusted.
    public var trustAnchors: [Certificate]
    /// Anchors for one attestation format only (for example Microsoft's TPM roots for `tpm`).
    public var trustAnchorsByFormat: [AttestationFormat: [Certificate]]
    /// Anchors for one authenticator model only (for example a vendor's root for its AAGUID).
    public var trustAnchorsByAAGUID: [AAGUID: [Certificate]]
    /// Use the bundled public roots as default anchors: the Apple WebAuthn Root CA for `apple`,
    /// Google's hardware attestation roots for `android-key`. A path that misses them is reported
    /// untrusted, not refused; anchors the caller chose are required. Default on.
    public var useBundledRoots: Bool
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
    /// Rules of individual formats (Android key authorization lists, SafetyNet, TPM vendors).
    public var formatPolicy: AttestationFormatPolicy
    /// Authenticator metadata (FIDO MDS3). When it knows the model, the model's status reports
    /// are honoured (revoked or compromised models are refused), its attestation roots become
    /// required anchors, and its description and icon are part of the result.
    public var metadata: (any AuthenticatorMetadataProvider)?
    /// The attestation the relying party asked for, and what it accepts in return.
    public var attestation: AttestationRequirement

    /// The formats this library verifies.
    public static let defaultAttestationVerifiers: [any AttestationStatementVerifier] = [
        NoneAttestation(), PackedAttestation(), FIDOU2FAttestation(), TPMAttestation(), AndroidKeyAttestation(),
        AndroidSafetyNetAttestation(), AppleAttestation(), CompoundAttestation(),
    ]

    /// Creates a policy.
    public init(
        relyingParty: RelyingParty,
        requireUserVerification: Bool = false,
        allowedAlgorithms: [COSEAlgorithm] = COSEAlgorithm.defaultAllowed,
        trustAnchors: [Certificate] = [],
        trustAnchorsByFormat: [AttestationFormat: [Certificate]] = [:],
        trustAnchorsByAAGUID: [AAGUID: [Certificate]] = [:],
        useBundledRoots: Bool = true,
        requireTrustedAttestation: Bool = false,
        verificationTime: Date? = nil,
        allowRS1: Bool = false,
        clientDataTypes: [String] = ["webauthn.create"],
        attestationVerifiers: [any AttestationStatementVerifier] = RegistrationPolicy.defaultAttestationVerifiers,
        formatPolicy: AttestationFormatPolicy = AttestationFormatPolicy(),
        metadata: (any AuthenticatorMetadataProvider)? = nil,
        attestation: AttestationRequirement = AttestationRequirement()
    ) {
        self.relyingParty = relyingParty
        self.requireUserVerification = requireUserVerification
        self.allowedAlgorithms = allowedAlgorithms
        self.trustAnchors = trustAnchors
        self.trustAnchorsByFormat = trustAnchorsByFormat
        self.trustAnchorsByAAGUID = trustAnchorsByAAGUID
        self.useBundledRoots = useBundledRoots
        self.requireTrustedAttestation = requireTrustedAttestation
        self.verificationTime = verificationTime
        self.allowRS1 = allowRS1
        self.clientDataTypes = clientDataTypes
        self.attestationVerifiers = attestationVerifiers
        self.formatPolicy = formatPolicy
        self.metadata = metadata
        self.attestation = attestation
    }
}

extension RegistrationPolicy {
    /// The anchors for a statement of `format` from authenticator model `aaguid`, and whether the
    /// caller chose any of them (then reaching one is required).
    public func trustAnchors(format: AttestationFormat, aaguid: AAGUID) -> (anchors: [Certificate], callerChosen: Bool)
    {
        let chosen =
            self.trustAnchors + (self.trustAnchorsByFormat[format] ?? []) + (self.trustAnchorsByAAGUID[aaguid] ?? [])
        guard self.useBundledRoots else { return (chosen, !chosen.isEmpty) }
        return (chosen + BundledRoots.defaultAnchors(for: format), !chosen.isEmpty)
    }
}
