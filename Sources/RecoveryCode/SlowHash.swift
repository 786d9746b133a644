import Crypto
import CryptoExtras
import Foundation

/// A salted scrypt hash of a secret people type (recovery codes; the server's passwords), stored
/// as `scrypt$N$r$p$salt$hash` (base64), so the cost can rise later without breaking old hashes.
public struct SlowHash: Sendable, Hashable, CustomStringConvertible {
    /// scrypt's cost parameters.
    public struct Parameters: Sendable, Hashable {
        /// CPU/memory cost N (a power of two).
        public var cost: Int
        /// Block size r.
        public var blockSize: Int
        /// Parallelism p.
        public var parallelism: Int

        /// N = 2^15, r = 8, p = 1: 32 MiB and tens of milliseconds per hash (OWASP's minimum
        /// for scrypt is N = 2^17 with r = 8 only for passwords without other throttling).
        public static let interactive = Parameters(cost: 1 << 15, blockSize: 8, parallelism: 1)
        /// N = 2^10: for tests and benchmarks only.
        public static let testing = Parameters(cost: 1 << 10, blockSize: 8, parallelism: 1)

        /// Creates parameters.
        public init(cost: Int, blockSize: Int, parallelism: Int) {
            self.cost = cost
            self.blockSize = blockSize
            self.parallelism = parallelism
        }
    }

    public let parameters: Parameters
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Hashes `secret` with a fresh 16-byte salt.
    public init(hashing secret: String, parameters: Parameters = .interactive) throws {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.parameters = parameters
        self.salt = salt
        self.hash = try Self.derive(secret, salt: salt, parameters: parameters)
    }

    /// Reads a stored `scrypt$N$r$p$salt$hash` string; `nil` when it is not one.
    public init?(stored text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let cost = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), cost > 1, cost & (cost - 1) == 0, blockSize > 0, parallelism > 0,
            let salt = Data(base64Encoded: parts[4]), let hash = Data(base64Encoded: parts[5]), salt.count >= 8,
            hash.count == 32
        else { return nil }
        self.parameters = Parameters(cost: cost, blockSize: blockSize, parallelism: parallelism)
        self.salt = Array(salt)
        self.hash = Array(hash)
    }

    /// The stored form.
    public var description: String {
        "scrypt$\(self.parameters.cost)$\(self.parameters.blockSize)$\(self.parameters.parallelism)$\(Data(self.salt).base64EncodedString())$\(Data(self.hash).base64EncodedString())"
    }

    /// Whether `secret` hashes to this hash (compared in constant time).
    public func matches(_ secret: String) -> Bool {
        guard let candidate = try? Self.derive(secret, salt: self.salt, parameters: self.parameters) else {
            return false
        }
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, self.hash) { difference |= a ^ b }
        return difference == 0 && candidate.count == self.hash.count
    }

    private static func derive(_ secret: String, salt: [UInt8], parameters: Parameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(secret.utf8),
            salt: salt,
            outputByteCount: 32,
            rounds: parameters.cost,
            blockSize: parameters.blockSize,
            parallelism: parameters.parallelism
        )
        return key.withUnsafeBytes { Array($0) }
    }
}
