/// Ceremony challenges.
public enum Challenge {
    /// The challenge length this library issues: 32 bytes (256 bits), above §13.4.3's 16-byte minimum.
    public static let byteCount = 32

    /// Returns `count` bytes from the system CSPRNG (`getrandom` on Linux), eight per call: a
    /// call per byte was a system call per byte, which showed in sign-in profiles.
    public static func random(count: Int = Challenge.byteCount) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
