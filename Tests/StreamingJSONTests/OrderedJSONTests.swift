import Foundation
import StreamingJSON
import Testing

/// ``OrderedJSON`` writes fidoctl's JSON lines byte for byte as its own serializer did, and as
/// an `Encodable` the JSON that ``StreamingJSONEncoder`` writes.
struct OrderedJSONTests {
    /// The serializer `fidoctl` had before it used this module, kept as the reference its
    /// output is compared with.
    enum FormerSerializer {
        static func serialized(_ value: OrderedJSON) -> String {
            var output = ""
            self.write(value, to: &output)
            return output
        }

        static func write(_ value: OrderedJSON, to output: inout String) {
            switch value {
            case .string(let text): self.writeString(text, to: &output)
            case .int(let number): output += String(number)
            case .bool(let flag): output += flag ? "true" : "false"
            case .array(let elements):
                output += "["
                for (index, element) in elements.enumerated() {
                    if index > 0 { output += "," }
                    self.write(element, to: &output)
                }
                output += "]"
            case .object(let members):
                output += "{"
                for (index, member) in members.enumerated() {
                    if index > 0 { output += "," }
                    self.writeString(member.0, to: &output)
                    output += ":"
                    self.write(member.1, to: &output)
                }
                output += "}"
            }
        }

        static func writeString(_ text: String, to output: inout String) {
            output += "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case let control where control.value < 0x20:
                    let hex = String(control.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: output.unicodeScalars.append(scalar)
                }
            }
            output += "\""
        }
    }

    /// Every control character, the characters JSON escapes, and ones it does not.
    static let strings: [String] =
        (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + [
            "", "plain", "quote \" backslash \\ slash / del \u{7F}", "café — 🔑 日本", "line\u{2028}separator",
            "\u{8}\u{C}\n\r\t mixed \u{1B}[31m", "a\u{0}b", "\\u0008 is text",
        ]

    static let sample: OrderedJSON = .object(
        [
            ("id", .string("batch-1")), ("verified", .bool(false)), ("zero", .int(0)), ("min", .int(.min)),
            ("max", .int(.max)), ("empty", .array([])), ("nothing", .object([])),
            ("strings", .array(Self.strings.map { .string($0) })),
            ("error", .object([("code", .string("x")), ("message", .string("bad \u{8} byte"))])),
            ("verified", .bool(true)),
        ] + Self.strings.map { ($0, .int(1)) }
    )

    @Test func fidoctlEscapingIsWhatFidoctlsFormerSerializerWrote() {
        #expect(Self.sample.serialized(escaping: .unicodeExceptLineBreaksAndTab) == FormerSerializer.serialized(Self.sample))
        for text in Self.strings {
            #expect(
                OrderedJSON.string(text).serialized(escaping: .unicodeExceptLineBreaksAndTab)
                    == FormerSerializer.serialized(.string(text))
            )
        }
        #expect(OrderedJSON.string("\u{8}\u{C}").serialized(escaping: .unicodeExceptLineBreaksAndTab) == #""\u0008\u000c""#)
    }

    @Test func defaultEscapingIsWhatTheStreamingEncoderWrites() throws {
        let streamed = try StreamingJSONEncoder().encode(Self.sample)
        #expect(Self.sample.serialized() == String(decoding: streamed, as: UTF8.self))
        #expect(OrderedJSON.string("\u{8}\u{C}\u{1}").serialized() == #""\b\f\u0001""#)
        // Inside another Encodable value, and read back by Foundation as the same JSON.
        let wrapped = try StreamingJSONEncoder().encode(["value": OrderedJSON.array([.int(1), .string("\u{8}")])])
        #expect(String(decoding: wrapped, as: UTF8.self) == #"{"value":[1,"\b"]}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(Self.sample.serialized().utf8)) as? [String: Any]
        #expect(parsed?["strings"] as? [String] == Self.strings)
    }

    @Test func membersKeepTheirOrderAndRepeatedNames() {
        let value = OrderedJSON.object([("b", .int(1)), ("a", .array([.bool(true), .object([])])), ("b", .int(2))])
        #expect(value.serialized() == #"{"b":1,"a":[true,{}],"b":2}"#)
        #expect(value.serialized(escaping: .unicodeExceptLineBreaksAndTab) == #"{"b":1,"a":[true,{}],"b":2}"#)
    }
}
