/// Why an OTP operation was refused.
public enum OTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Base32 text has a character outside A–Z, 2–7 (or bits left over).
    case invalidBase32
    /// Digits outside 6...8.
    case unsupportedDigits(Int)
    /// A period that is not a positive number of seconds.
    case invalidPeriod(Int)
    /// A secret shorter than 80 bits (``HOTP/minimumSecretByteCount``).
    case secretTooShort(bytes: Int)
    /// An algorithm name other than SHA1, SHA256 or SHA512.
    case unsupportedAlgorithm(String)
    /// An `otpauth://` URI that does not parse, with the reason.
    case invalidURI(String)

    public var description: String {
        switch self {
        case .invalidBase32: return "The secret is not valid Base32 (A–Z, 2–7)."
        case .unsupportedDigits(let digits): return "Codes of \(digits) digits are not supported; use 6 to 8."
        case .invalidPeriod(let period):
            return "A period of \(period) s is not valid; use a positive number of seconds."
        case .secretTooShort(let bytes):
            return "The secret has \(bytes * 8) bits; at least 80 are required (new secrets have 160)."
        case .unsupportedAlgorithm(let name):
            return "The algorithm \(name) is not supported; use SHA1, SHA256 or SHA512."
        case .invalidURI(let reason): return "The otpauth URI is not valid: \(reason)."
        }
    }
}
