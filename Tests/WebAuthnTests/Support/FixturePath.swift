import Foundation

/// Locates files under the repository's `Fixtures/` folder.
enum FixturePath {
    /// The `Fixtures/` folder beside the nearest `Package.swift` above this file.
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.appendingPathComponent("Fixtures")
            }
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("Fixtures")
    }()

    static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }
}

extension Array where Element == UInt8 {
    /// Bytes from hex text; traps on bad hex, which only test literals supply.
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    var hex: String { self.map { String(format: "%02x", $0) }.joined() }
}

/// A small seeded generator so fuzz-style tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
