/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`; a bare address is a
/// range of one), as `--trusted-proxy` takes it.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (bits past the prefix cleared).
    public let network: IPAddress
    /// How many leading bits are fixed.
    public let prefixLength: Int
    /// Whether the text set bits past the prefix (`10.0.0.1/8`): it names both one address and
    /// a network, and which was meant cannot be told.
    public let hadHostBits: Bool

    /// Parses `text`.
    ///
    /// - Throws: ``HTTPInputError`` `bad_range` (or `bad_address` for the address part).
    public init(_ text: String) throws(HTTPInputError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let addressText = parts.first else {
            throw HTTPInputError(.badRange, "\(text.prefix(64)) is not ADDRESS/PREFIX.")
        }
        let address = try IPAddress(addressText)
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            let prefixText = parts[1]
            guard (1...3).contains(prefixText.count), prefixText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let value = Int(prefixText), value <= bits
            else { throw HTTPInputError(.badRange, "The prefix of \(text.prefix(64)) is not 0…\(bits).") }
            // An IPv4-mapped range (::ffff:10.0.0.0/104) becomes the IPv4 range it maps.
            length = addressText.contains(":") && address.isIPv4 ? max(0, value - 96) : value
        }
        self.prefixLength = length
        self.network = Self.masked(address, length)
        self.hadHostBits = self.network.bytes != address.bytes
    }

    static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        var bytes = address.bytes
        for index in bytes.indices {
            let kept = min(8, max(0, length - index * 8))
            bytes[index] &= kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - kept))
        }
        return IPAddress(unchecked: bytes)
    }

    /// Whether `address` is in the range (an IPv4 address is never in an IPv6 range).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == self.network.bytes.count && Self.masked(address, self.prefixLength) == self.network
    }

    public var description: String { "\(self.network)/\(self.prefixLength)" }
}

extension IPAddress {
    /// An address of bytes that are 4 or 16 long.
    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }
}
