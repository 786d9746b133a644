/// The 16-byte Authenticator Attestation GUID that names an authenticator model (WebAuthn §6.5.1).
public struct AAGUID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 16 bytes.
    public let bytes: [UInt8]

    /// The all-zero AAGUID that U2F keys and privacy-preserving authenticators report.
    public static let zero = AAGUID(unchecked: [UInt8](repeating: 0, count: 16))

    /// Wraps exactly 16 bytes; returns `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the hyphenated form (`6d44ba9b-f6ec-2e49-b930-0c8fe920cb73`) or 32 hex digits.
    public init?(_ text: String) {
        // Either the UUID form (8-4-4-4-12) or 32 hex digits; nothing else (no sign, no
        // hyphens elsewhere), so one AAGUID has two spellings at most, both case-insensitive.
        let utf8 = Array(text.utf8)
        let hex: [UInt8]
        switch utf8.count {
        case 32:
            hex = utf8
        case 36:
            guard [8, 13, 18, 23].allSatisfy({ utf8[$0] == UInt8(ascii: "-") }) else { return nil }
            hex = utf8.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)
        default:
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        for byte in hex {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.bytes = bytes
    }

    /// Wraps bytes the caller has already checked to be 16 (the authenticator data parser).
    package init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The lowercase hyphenated UUID form.
    public var description: String {
        let hex = self.bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = AAGUID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an AAGUID"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}
