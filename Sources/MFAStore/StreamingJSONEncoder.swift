public import Foundation

/// Encodes values as JSON straight into bytes, for records written on every sign-in: Foundation's
/// `JSONEncoder` first builds a tree of every value and then writes it, which showed as the
/// largest single cost in the server's profiles.
///
/// The output is what `JSONEncoder` with `.millisecondsSince1970` dates reads back the same:
/// dates are milliseconds since 1970, `Data` is base64, `URL` its absolute string, optionals
/// that are `nil` are left out, and keys keep the order they were encoded in. `/` is not
/// escaped. A value it cannot stream — one that asks for a super-encoder, asks for two kinds of
/// container, or encodes nothing, or a `Decimal` — is encoded by `JSONEncoder` instead, so
/// every `Encodable` encodes. `codingPath` is always empty in the encoders it hands out.
public struct StreamingJSONEncoder: Sendable {
    /// Creates the encoder.
    public init() {}

    /// `value` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, or what
    ///   `value`'s `encode(to:)` throws.
    public func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let writer = StreamingJSONWriter()
        try writer.encodeValue(value)
        if writer.unsupported {
            return try Self.fallback.encode(value)
        }
        return Data(writer.bytes)
    }

    private static let fallback: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()
}
