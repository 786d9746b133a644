/// An HMAC-based one-time password generator (RFC 4226).
public struct HOTP: Sendable, Hashable {
    /// The shared secret.
    public let secret: [UInt8]
    /// Code length, 6 to 8 digits.
    public let digits: Int
    /// The HMAC hash.
    public let algorithm: OTPAlgorithm

    /// The shortest secret accepted for computing and checking codes: 80 bits, the 16-character
    /// Base32 secrets (`JBSWY3DPEHPK3PXP`) many services hand out. RFC 4226 §4 asks for at least
    /// 128 bits and recommends 160; new secrets (``OTPSecret/generate(byteCount:)``) have 160.
    public static let minimumSecretByteCount = 10

    /// Creates a generator.
    ///
    /// - Throws: ``OTPError/unsupportedDigits(_:)`` outside 6...8, ``OTPError/secretTooShort(bytes:)``
    ///   for secrets under 80 bits (``minimumSecretByteCount``).
    public init(secret: [UInt8], digits: Int = 6, algorithm: OTPAlgorithm = .sha1) throws(OTPError) {
        guard (6...8).contains(digits) else { throw .unsupportedDigits(digits) }
        guard secret.count >= Self.minimumSecretByteCount else { throw .secretTooShort(bytes: secret.count) }
        self.secret = secret
        self.digits = digits
        self.algorithm = algorithm
    }

    /// The 31-bit value of dynamic truncation (RFC 4226 §5.3) for `counter`.
    public func truncatedValue(counter: UInt64) -> UInt32 {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        let mac = self.algorithm.mac(key: self.secret, message: message)
        let offset = Int(mac[mac.count - 1] & 0x0f)
        return (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
    }

    /// The code for `counter`, zero-padded to ``digits``.
    public func code(counter: UInt64) -> String {
        var modulus: UInt32 = 1
        for _ in 0..<self.digits { modulus *= 10 }
        let value = String(self.truncatedValue(counter: counter) % modulus)
        return String(repeating: "0", count: self.digits - value.count) + value
    }

    /// Compares two codes in time independent of where they differ.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
