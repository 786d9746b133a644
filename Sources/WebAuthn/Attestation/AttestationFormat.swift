/// An attestation statement format identifier (WebAuthn §8, IANA "WebAuthn Attestation Statement
/// Format Identifiers").
///
/// A `RawRepresentable` struct so that a format this library does not know survives parsing and
/// is reported by name in `unsupported_attestation_format`.
public struct AttestationFormat: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = AttestationFormat(rawValue: "none")
    public static let packed = AttestationFormat(rawValue: "packed")
    public static let fidoU2F = AttestationFormat(rawValue: "fido-u2f")
    public static let tpm = AttestationFormat(rawValue: "tpm")
    public static let androidKey = AttestationFormat(rawValue: "android-key")
    public static let androidSafetyNet = AttestationFormat(rawValue: "android-safetynet")
    public static let apple = AttestationFormat(rawValue: "apple")
    public static let compound = AttestationFormat(rawValue: "compound")

    public var description: String { self.rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

/// The kind of attestation an attestation statement proved (WebAuthn §6.5.4).
public enum AttestationType: String, Sendable, Hashable, Codable {
    /// No attestation: the credential's origin is unknown.
    case none
    /// Self attestation: signed by the credential's own key.
    case `self`
    /// Basic attestation: signed by an attestation key shared by a batch of authenticators.
    case basic
    /// Attestation CA: signed by a key certified by a CA (for example, a TPM's AIK).
    case attCA = "attca"
    /// Anonymization CA: a per-credential certificate from a CA that hides the device (Apple).
    case anonCA = "anonca"
}
