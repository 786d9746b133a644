/// The flags byte of authenticator data (WebAuthn §6.1).
public struct AuthenticatorFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// UP: the user was present (touched the key).
    public static let userPresent = AuthenticatorFlags(rawValue: 1 << 0)
    /// UV: the user was verified (PIN, biometrics).
    public static let userVerified = AuthenticatorFlags(rawValue: 1 << 2)
    /// BE: the credential may be backed up (synced passkey).
    public static let backupEligible = AuthenticatorFlags(rawValue: 1 << 3)
    /// BS: the credential is backed up now.
    public static let backupState = AuthenticatorFlags(rawValue: 1 << 4)
    /// AT: attested credential data follows.
    public static let attestedCredentialData = AuthenticatorFlags(rawValue: 1 << 6)
    /// ED: an extensions map follows.
    public static let extensionData = AuthenticatorFlags(rawValue: 1 << 7)
}
