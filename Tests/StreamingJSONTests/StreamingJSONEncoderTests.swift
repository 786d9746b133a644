import Foundation
import StreamingJSON
import Testing

/// The records' encoder writes what Foundation's decoder reads back as the same value, and
/// what `JSONEncoder` would have written, member for member.
struct StreamingJSONEncoderTests {
    enum Colour: String, Codable, Equatable { case red, green }

    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
        var nothing: Int?
    }

    /// A custom `encode(to:)` with nested containers, and one that asks for its keyed container twice.
    struct Custom: Codable, Equatable {
        var point: [Int]
        var label: String
        var extra: Bool

        enum CodingKeys: String, CodingKey { case point, meta, extra }
        enum MetaKeys: String, CodingKey { case label, list }

        init(point: [Int], label: String, extra: Bool) {
            (self.point, self.label, self.extra) = (point, label, extra)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var point = try container.nestedUnkeyedContainer(forKey: .point)
            var values: [Int] = []
            while !point.isAtEnd { values.append(try point.decode(Int.self)) }
            self.point = values
            let meta = try container.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
            self.label = try meta.decode(String.self, forKey: .label)
            _ = try meta.decode([[Int]].self, forKey: .list)
            self.extra = try container.decode(Bool.self, forKey: .extra)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            var point = container.nestedUnkeyedContainer(forKey: .point)
            for value in self.point { try point.encode(value) }
            var meta = container.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
            try meta.encode(self.label, forKey: .label)
            var list = meta.nestedUnkeyedContainer(forKey: .list)
            var row = list.nestedUnkeyedContainer()
            try row.encode(1)
            try list.encode([2, 3])
            var again = encoder.container(keyedBy: CodingKeys.self)
            try again.encode(self.extra, forKey: .extra)
        }
    }

    struct Everything: Codable, Equatable {
        var text: String
        var escapes: String
        var unicode: String
        var small: Int8
        var big: Int64
        var unsigned: UInt64
        var counter: UInt32
        var double: Double
        var integralDouble: Double
        var tiny: Double
        var huge: Double
        var negative: Double
        var float: Float
        var flag: Bool
        var date: Date
        var data: Data
        var url: URL
        var missing: String?
        var present: String?
        var colour: Colour
        var inner: Inner
        var inners: [Inner]
        var matrix: [[Int]]
        var byName: [String: Int]
        var empty: [String]
        var emptyObject: [String: Bool]
        var custom: Custom
    }

    static let sample = Everything(
        text: "plain",
        escapes: "quote \" backslash \\ slash / newline \n tab \t return \r bell \u{07} nul \u{0} del \u{7F}",
        unicode: "café — 🔑 日本",
        small: -128,
        big: .min,
        unsigned: .max,
        counter: 4_294_967_295,
        double: 0.1,
        integralDouble: 3,
        tiny: .leastNonzeroMagnitude,
        huge: .greatestFiniteMagnitude,
        negative: -2.5,
        float: 0.3,
        flag: true,
        date: Date(timeIntervalSince1970: 1_795_976_182.15694),
        data: Data([0, 1, 2, 250, 251, 252, 253, 254, 255]),
        url: URL(string: "https://example.com/a?b=c")!,
        missing: nil,
        present: "",
        colour: .green,
        inner: Inner(name: "n", tags: ["a", "b"], nothing: nil),
        inners: [Inner(name: "x", tags: [], nothing: 7), Inner(name: "y", tags: ["z"], nothing: nil)],
        matrix: [[1, 2], [], [3]],
        byName: ["one": 1, "two": 2],
        empty: [],
        emptyObject: [:],
        custom: Custom(point: [4, 5], label: "meta", extra: false)
    )

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    /// Parsed JSON, so key order and escaping choices do not matter.
    func object(_ data: Data) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? NSObject)
    }

    @Test func everyKindOfValueReadsBackTheSameAndMatchesJSONEncoder() throws {
        let streamed = try StreamingJSONEncoder().encode(Self.sample)
        #expect(try Self.decoder.decode(Everything.self, from: streamed) == Self.sample)
        #expect(try self.object(streamed) == self.object(Self.foundation.encode(Self.sample)))
        let text = try #require(String(data: streamed, encoding: .utf8))
        // Members in the order they were encoded; nil optionals left out; no ".0" on integral numbers.
        #expect(text.hasPrefix(#"{"text":"plain","escapes":"quote \" backslash \\ slash / newline \n tab \t"#))
        #expect(!text.contains("missing"))
        #expect(text.contains(#""integralDouble":3,"#))
        #expect(text.contains(#""point":[4,5],"meta":{"label":"meta","list":[[1],[2,3]]},"extra":false"#))
    }

    @Test func iso8601DatesAreWhatJSONEncoderWrites() throws {
        struct Stamped: Codable, Equatable {
            var at: Date
            var later: [Date]
        }
        let value = Stamped(at: Date(timeIntervalSince1970: 1_795_976_182), later: [Date(timeIntervalSince1970: 0)])
        let foundation = JSONEncoder()
        foundation.dateEncodingStrategy = .iso8601
        let streamed = try StreamingJSONEncoder(dateEncoding: .iso8601).encode(value)
        #expect(try self.object(streamed) == self.object(foundation.encode(value)))
        #expect(String(decoding: streamed, as: UTF8.self) == #"{"at":"2026-11-29T18:16:22Z","later":["1970-01-01T00:00:00Z"]}"#)
    }

    @Test func scalarsAndContainersAtTheTopLevel() throws {
        let encoder = StreamingJSONEncoder()
        #expect(try encoder.encode("a\u{1}") == Data(#""a\u0001""#.utf8))
        #expect(try encoder.encode(42) == Data("42".utf8))
        #expect(try encoder.encode([Int?.none, 1]) == Data("[null,1]".utf8))
        #expect(try encoder.encode([String: [Int]]()) == Data("{}".utf8))
    }

    @Test func nonFiniteNumbersAreAnErrorNotText() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": value]) }
        }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Float.nan]) }
    }

    /// Shapes it does not stream go to `JSONEncoder`, so they still encode as it would.
    class Base: Codable {
        var base = 1
    }

    final class Derived: Base, @unchecked Sendable {
        var derived = 2
        enum CodingKeys: String, CodingKey { case derived }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.derived, forKey: .derived)
            try super.encode(to: container.superEncoder())
        }
    }

    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    struct Holder<Value: Encodable>: Encodable {
        var value: Value
        var decimal: Decimal?
    }

    @Test func unstreamableShapesFallBackToJSONEncoder() throws {
        let derived = Derived()
        #expect(try self.object(StreamingJSONEncoder().encode(derived)) == self.object(Self.foundation.encode(derived)))
        let silent = Holder(value: Silent())
        #expect(try self.object(StreamingJSONEncoder().encode(silent)) == self.object(Self.foundation.encode(silent)))
        let decimal = Holder(value: 1, decimal: Decimal(string: "12.5"))
        #expect(try self.object(StreamingJSONEncoder().encode(decimal)) == self.object(Self.foundation.encode(decimal)))
    }
}
