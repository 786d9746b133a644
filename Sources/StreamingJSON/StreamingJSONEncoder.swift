public import Foundation

/// Encodes values as JSON straight into bytes, for records written on every sign-in: Foundation's
/// `JSONEncoder` first builds a tree of every value and then writes it, which showed as the
/// largest single cost in the server's profiles.
///
/// The output is what `JSONEncoder` would write, read back the same: dates as chosen
/// (``DateEncoding``), `Data` as base64, `URL` its absolute string, optionals
/// that are `nil` are left out, and keys keep the order they were encoded in. `/` is not
/// escaped. A value it cannot stream — one that asks for a super-encoder, asks for two kinds of
/// container, or encodes nothing, or a `Decimal` — is encoded by `JSONEncoder` instead, so
/// every `Encodable` encodes. `codingPath` is always empty in the encoders it hands out.
public struct StreamingJSONEncoder: Sendable {
    /// How dates are written.
    public enum DateEncoding: Sendable {
        /// A number: milliseconds since 1970 (as `JSONEncoder`'s `.millisecondsSince1970`).
        case millisecondsSince1970
        /// A string such as `2026-11-29T18:14:44Z` (as `JSONEncoder`'s `.iso8601`).
        case iso8601
    }

    /// How this encoder writes dates.
    public let dateEncoding: DateEncoding

    /// Creates the encoder.
    public init(dateEncoding: DateEncoding = .millisecondsSince1970) {
        self.dateEncoding = dateEncoding
    }

    /// `value` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, or what
    ///   `value`'s `encode(to:)` throws.
    public func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let writer = StreamingJSONWriter(dateEncoding: self.dateEncoding)
        try writer.encodeValue(value)
        if writer.unsupported {
            return try Self.fallback(self.dateEncoding).encode(value)
        }
        return Data(writer.bytes)
    }

    private static func fallback(_ dates: DateEncoding) -> JSONEncoder {
        switch dates {
        case .millisecondsSince1970: return Self.millisecondsFallback
        case .iso8601: return Self.iso8601Fallback
        }
    }

    private static let millisecondsFallback: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    private static let iso8601Fallback: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()
}
