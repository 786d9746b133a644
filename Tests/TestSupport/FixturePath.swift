import Foundation

/// Locates files under the repository's `Fixtures/` folder, for every test target.
public enum FixturePath {
    /// The `Fixtures/` folder beside the nearest `Package.swift` above this file.
    public static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.appendingPathComponent("Fixtures")
            }
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("Fixtures")
    }()

    /// The repository's root folder (where `Package.swift` is).
    public static var repositoryRoot: URL { root.deletingLastPathComponent() }

    /// A file below `Fixtures/`.
    public static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }
}

extension Array where Element == UInt8 {
    /// Bytes from hex text; traps on bad hex, which only test literals supply.
    public init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    /// Lowercase hex text.
    public var hex: String { self.map { String(format: "%02x", $0) }.joined() }
}
