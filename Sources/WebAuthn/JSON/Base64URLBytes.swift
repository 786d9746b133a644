/// Binary data that travels as a base64url string in WebAuthn's JSON serialization.
///
/// Decoding throws `DecodingError.dataCorrupted` for text that is not base64url; encoding writes
/// unpadded base64url.
public struct Base64URLBytes: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The decoded bytes.
    public var bytes: [UInt8]

    /// Wraps bytes.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Decodes base64url text, or returns `nil` when it is malformed.
    public init?(base64URL text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.bytes = bytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = Base64URL.decode(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not base64url: \(text.prefix(40))")
            )
        }
        self.bytes = bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.base64URL)
    }

    /// The unpadded base64url text.
    public var base64URL: String { Base64URL.encode(self.bytes) }

    public var description: String { self.base64URL }
}
