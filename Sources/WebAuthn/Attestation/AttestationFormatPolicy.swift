public import Foundation

/// Rules of individual attestation formats that a relying party may tighten or relax.
public struct AttestationFormatPolicy: Sendable, Hashable {
    /// Which Android Key Attestation authorization list must show origin GENERATED and purpose SIGN.
    public enum AndroidKeyAuthorizations: Sendable, Hashable {
        /// Only the TEE/StrongBox-enforced list counts: keys held in secure hardware only.
        case trustedExecutionEnvironmentOnly
        /// Either list (WebAuthn §8.4's default): software-backed keys are accepted too.
        case either
    }

    /// android-key: which authorization list counts. Default ``AndroidKeyAuthorizations/either``.
    public var androidKeyAuthorizations: AndroidKeyAuthorizations
    /// android-safetynet: require `ctsProfileMatch` (a device that passed Android compatibility
    /// testing). Default on.
    public var safetyNetRequiresCTSProfileMatch: Bool
    /// android-safetynet: how old the attestation's `timestampMs` may be at verification time.
    public var safetyNetMaximumAge: TimeInterval
    /// android-safetynet: how far in the future `timestampMs` may be (clock skew).
    public var safetyNetClockSkew: TimeInterval
    /// tpm: the TPM manufacturer ids (`id:XXXXXXXX`) accepted in the AIK certificate.
    public var tpmManufacturers: Set<String>

    /// The defaults described on each property.
    public init(
        androidKeyAuthorizations: AndroidKeyAuthorizations = .either,
        safetyNetRequiresCTSProfileMatch: Bool = true,
        safetyNetMaximumAge: TimeInterval = 60,
        safetyNetClockSkew: TimeInterval = 60,
        tpmManufacturers: Set<String> = TPMManufacturer.registeredIDs
    ) {
        self.androidKeyAuthorizations = androidKeyAuthorizations
        self.safetyNetRequiresCTSProfileMatch = safetyNetRequiresCTSProfileMatch
        self.safetyNetMaximumAge = safetyNetMaximumAge
        self.safetyNetClockSkew = safetyNetClockSkew
        self.tpmManufacturers = tpmManufacturers
    }
}
