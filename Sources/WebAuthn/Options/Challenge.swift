/// Ceremony challenges.
public enum Challenge {
    /// The challenge length this library issues: 32 bytes (256 bits), above §13.4.3's 16-byte minimum.
    public static let byteCount = 32

    /// Returns `count` bytes from the system CSPRNG (`getrandom` on Linux).
    public static func random(count: Int = Challenge.byteCount) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
