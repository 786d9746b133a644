public import CBOR

/// The outcome of a successful authentication ceremony, with the state the caller must store.
public struct VerifiedAuthentication: Sendable, Hashable {
    /// The credential that signed.
    public var credentialID: [UInt8]
    /// The new signature counter to store.
    public var newSignCount: UInt32
    /// Whether the counter failed to increase (allowed only by policy): the authenticator may be cloned.
    public var signCountRegressed: Bool
    /// Whether the UV flag was set.
    public var userVerified: Bool
    /// The backup eligibility flag (BE).
    public var backupEligible: Bool
    /// The current backup state (BS), to update the stored record.
    public var backupState: Bool
    /// The user handle the authenticator returned, when any.
    public var userHandle: [UInt8]?
    /// Whether the assertion was scoped to the FIDO AppID rather than the RP ID.
    public var usedAppID: Bool
    /// The authenticator extension outputs, when any.
    public var authenticatorExtensions: CBORMap?
}
