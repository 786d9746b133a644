/// An IPv4 or IPv6 address parsed strictly from text (no zones, no leading zeros in IPv4
/// parts), so one address has one spelling: ``description`` is RFC 5952's for IPv6, and an
/// IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is taken as the IPv4 address it maps.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), network order.
    public let bytes: [UInt8]

    /// Parses `text`.
    ///
    /// - Throws: ``HTTPInputError`` `bad_address`.
    public init(_ text: some StringProtocol) throws(HTTPInputError) {
        let text = String(text)
        if let v4 = Self.parseIPv4(Substring(text)) {
            self.bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
            self.bytes = Array(v6.prefix(12)) == mappedPrefix ? Array(v6.suffix(4)) : v6
        } else {
            throw HTTPInputError(.badAddress, "\(text.prefix(64)) is not an IPv4 or IPv6 address.")
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { self.bytes.count == 4 }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.count <= 45, text.contains(":") else { return nil }
        let halves = Self.splitAtDoubleColon(text)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var bytes: [UInt8] = []
            for (offset, piece) in pieces.enumerated() {
                if allowIPv4, offset == pieces.count - 1, piece.contains(".") {
                    guard let v4 = Self.parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16),
                    piece.utf8.allSatisfy({ PercentDecoding.hexValue($0) != nil })
                else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        if halves.count == 1 {
            guard let all = groups(text, allowIPv4: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowIPv4: false), let tail = groups(halves[1], allowIPv4: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// `text` split at each `::`.
    static func splitAtDoubleColon(_ text: String) -> [String] {
        var halves: [String] = []
        var current = ""
        var previousColon = false
        for character in text {
            if character == ":", previousColon {
                current.removeLast()
                halves.append(current)
                current = ""
                previousColon = false
                continue
            }
            current.append(character)
            previousColon = character == ":"
        }
        halves.append(current)
        return halves
    }

    public var description: String {
        if self.isIPv4 { return self.bytes.map(String.init).joined(separator: ".") }
        var groups: [UInt16] = []
        var index = 0
        while index + 1 < self.bytes.count {
            groups.append(UInt16(self.bytes[index]) << 8 | UInt16(self.bytes[index + 1]))
            index += 2
        }
        // RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) is "::".
        var best: Range<Int>?
        var start: Int?
        for position in 0...groups.count {
            if position < groups.count, groups[position] == 0 {
                if start == nil { start = position }
            } else if let runStart = start {
                if position - runStart >= 2, position - runStart > (best?.count ?? 0) { best = runStart..<position }
                start = nil
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
    }
}
