/// A kind of second factor a tenant can enable and a member can enroll.
public enum FactorKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// A roaming WebAuthn security key (YubiKey over USB or NFC).
    case securityKey = "webauthn-roaming"
    /// A platform authenticator: this device's biometrics (Touch ID, Windows Hello, Android).
    case platformAuthenticator = "webauthn-platform"
    /// An authenticator app's TOTP codes.
    case otp
    /// Codes by SMS (paid plans only).
    case sms
    /// Push approval on a registered phone.
    case push
    /// The single-use recovery code.
    case recoveryCode = "recovery-code"

    /// Factors that can be a member's main way in: security key, push or OTP.
    public var isPrimary: Bool { [.securityKey, .push, .otp].contains(self) }

    /// Whether the factor counts towards "MFA is on" (the recovery code alone does not).
    public var isAuthenticator: Bool { self != .recoveryCode }

    public static func < (lhs: FactorKind, rhs: FactorKind) -> Bool {
        (Self.allCases.firstIndex(of: lhs) ?? 0) < (Self.allCases.firstIndex(of: rhs) ?? 0)
    }
}
