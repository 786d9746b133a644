/// A JSON value built in code whose objects keep their members in the order given: for output
/// whose exact text is a contract, such as `fidoctl`'s JSON lines.
///
/// ``serialized(escaping:)`` writes it as one line of JSON. As part of an `Encodable` value it
/// encodes as the same JSON, so ``StreamingJSONEncoder`` writes the same text.
public enum OrderedJSON: Sendable {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int64)
    /// `true` or `false`.
    case bool(Bool)
    /// An array of values, in order.
    case array([OrderedJSON])
    /// An object whose members are written in the order given (a repeated name is written twice).
    case object([(String, OrderedJSON)])

    /// How control characters (U+0000 to U+001F) in strings and member names are escaped.
    public enum ControlCharacterEscaping: Sendable {
        /// `\b`, `\f`, `\n`, `\r` and `\t`, every other one `\u00XX`: as `JSONEncoder` and
        /// ``StreamingJSONEncoder`` write them.
        case jsonEncoder
        /// `\n`, `\r` and `\t`, every other one `\u00XX` (U+0008 is `\u0008`, U+000C is
        /// `\u000c`): the form `fidoctl`'s JSON lines have always had.
        case unicodeExceptLineBreaksAndTab
    }

    /// This value as JSON text: no white space, members in order, `"` and `\` escaped, control
    /// characters escaped as `escaping` says, `/` and everything else as it is.
    public func serialized(escaping: ControlCharacterEscaping = .jsonEncoder) -> String {
        let writer = StreamingJSONWriter(
            dateEncoding: .millisecondsSince1970,
            shortControlEscapes: escaping == .jsonEncoder
        )
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension OrderedJSON: Encodable {
    /// Encodes the value: strings, integers and booleans as single values, arrays as unkeyed
    /// containers, objects as keyed containers with their members in order.
    ///
    /// - Throws: What `encoder`'s containers throw.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberName.self)
            for (name, value) in members { try container.encode(value, forKey: MemberName(stringValue: name)) }
        }
    }

    /// An object member's name as a coding key.
    struct MemberName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) { self.stringValue = stringValue }

        init?(intValue: Int) { nil }
    }
}
