/// The attestation a relying party asked for (`attestation` in the creation options) and what it
/// accepts in return.
///
/// With ``Conveyance-swift.enum/none`` or ``Conveyance-swift.enum/indirect`` every attestation that
/// verifies is accepted and its trust is only reported. With ``Conveyance-swift.enum/direct`` or
/// ``Conveyance-swift.enum/enterprise`` the attestation must chain to a trust anchor, unless the
/// switches below let self attestation or untrusted (including `none`) attestation through; both
/// are off by default.
public struct AttestationRequirement: Sendable, Hashable {
    /// WebAuthn's `AttestationConveyancePreference`.
    public enum Conveyance: String, Sendable, Hashable, CaseIterable {
        case none
        case indirect
        case direct
        case enterprise
    }

    /// What the relying party asked for.
    public var conveyance: Conveyance
    /// Under `direct`/`enterprise`: accept self attestation (signed by the credential key itself).
    public var allowSelfAttestation: Bool
    /// Under `direct`/`enterprise`: accept attestation that reaches no trust anchor, and `none`.
    public var allowUntrustedAttestation: Bool

    /// Creates a requirement; the default asks for `none` and accepts what verifies.
    public init(
        conveyance: Conveyance = .none,
        allowSelfAttestation: Bool = false,
        allowUntrustedAttestation: Bool = false
    ) {
        self.conveyance = conveyance
        self.allowSelfAttestation = allowSelfAttestation
        self.allowUntrustedAttestation = allowUntrustedAttestation
    }

    /// Whether an attestation of `type` that is `trusted` or not is acceptable.
    public func accepts(type: AttestationType, trusted: Bool) -> Bool {
        switch self.conveyance {
        case .none, .indirect:
            return true
        case .direct, .enterprise:
            if trusted { return true }
            if type == .self { return self.allowSelfAttestation || self.allowUntrustedAttestation }
            return self.allowUntrustedAttestation
        }
    }
}
