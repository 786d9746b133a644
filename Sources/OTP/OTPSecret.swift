/// Fresh OTP secrets from the system's cryptographically secure random number generator.
public enum OTPSecret {
    /// `byteCount` random bytes; 20 (160 bits, RFC 4226's recommendation) by default, at least 16.
    public static func generate(byteCount: Int = 20) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<max(16, byteCount)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
