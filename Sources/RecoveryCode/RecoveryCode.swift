import Foundation

/// A single-use recovery code: 24 symbols from a 31-symbol alphabet with no look-alikes (no 0/O,
/// 1/I/L), about 119 bits from the system CSPRNG, shown in groups of four.
public struct RecoveryCode: Sendable, Hashable, CustomStringConvertible {
    /// The alphabet: A–Z without I, L, O, and 2–9.
    public static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    /// Symbols per code.
    public static let length = 24

    /// The 24 symbols, ungrouped.
    public let symbols: String

    /// A fresh code. Symbols are drawn uniformly (rejection sampling) from the system CSPRNG.
    public static func generate() -> RecoveryCode {
        var generator = SystemRandomNumberGenerator()
        let symbols = (0..<Self.length).map { _ in
            Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &generator)]
        }
        return RecoveryCode(unchecked: String(symbols))
    }

    /// The bits of entropy in a code: 24 · log2(31).
    public static var entropyBits: Double { Double(Self.length) * log2(Double(Self.alphabet.count)) }

    init(unchecked symbols: String) {
        self.symbols = symbols
    }

    /// Reads a code as a person types it: any case, with spaces or hyphens between groups.
    /// Returns `nil` for anything else, so a typo never reaches the hash comparison.
    public init?(typed text: String) {
        let symbols = text.uppercased().filter { $0 != " " && $0 != "-" }
        guard symbols.count == Self.length, symbols.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.symbols = symbols
    }

    /// Groups of four, separated by hyphens: `K6MG-PV3R-SH3V-ERMK-ET8Q-7QKU`.
    public var description: String {
        stride(from: 0, to: Self.length, by: 4).map { start in
            let from = self.symbols.index(self.symbols.startIndex, offsetBy: start)
            return String(self.symbols[from..<self.symbols.index(from, offsetBy: 4)])
        }.joined(separator: "-")
    }
}
