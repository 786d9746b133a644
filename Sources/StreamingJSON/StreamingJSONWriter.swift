import Foundation

/// The `Encoder` behind ``StreamingJSONEncoder``: containers are written as they are asked
/// for and closed when the value that opened them has finished encoding, or when their parent
/// container writes its next member.
final class StreamingJSONWriter: Encoder {
    struct Frame {
        var closer: UInt8
        var count: Int
    }

    var bytes: [UInt8] = []
    /// The containers open now, outermost first.
    var frames: [Frame] = []
    /// The container the value being encoded opened, if it did.
    var valueFrame: Int?
    /// Whether the value being encoded wrote anything yet.
    var valueWritten = false
    /// Set when the value needs what this writer does not do; the output is then discarded.
    var unsupported = false

    let dateEncoding: StreamingJSONEncoder.DateEncoding
    /// Whether U+0008 and U+000C are written `\b` and `\f` (as `JSONEncoder` does) rather than
    /// `\u0008` and `\u000c`.
    let shortControlEscapes: Bool

    init(dateEncoding: StreamingJSONEncoder.DateEncoding, shortControlEscapes: Bool = true) {
        self.dateEncoding = dateEncoding
        self.shortControlEscapes = shortControlEscapes
        self.bytes.reserveCapacity(512)
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(writer: self, frame: self.openValueContainer(UInt8(ascii: "{"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(writer: self, frame: self.openValueContainer(UInt8(ascii: "[")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(writer: self)
    }

    /// The container of the value being encoded: opened now, or the one it opened before.
    func openValueContainer(_ opener: UInt8) -> Int {
        if let frame = self.valueFrame {
            guard self.frames.indices.contains(frame), self.frames[frame].closer == Self.closer(of: opener) else {
                self.unsupported = true
                return frame
            }
            return frame
        }
        if self.valueWritten { self.unsupported = true }
        self.valueWritten = true
        let frame = self.push(opener)
        self.valueFrame = frame
        return frame
    }

    static func closer(of opener: UInt8) -> UInt8 {
        opener == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
    }

    func push(_ opener: UInt8) -> Int {
        self.bytes.append(opener)
        self.frames.append(Frame(closer: Self.closer(of: opener), count: 0))
        return self.frames.count - 1
    }

    /// Closes the containers above `frame` and starts its next member.
    func beginMember(of frame: Int) {
        self.close(downTo: frame + 1)
        guard self.frames.indices.contains(frame) else {
            self.unsupported = true
            return
        }
        if self.frames[frame].count > 0 { self.bytes.append(UInt8(ascii: ",")) }
        self.frames[frame].count += 1
    }

    func beginMember(of frame: Int, key: some CodingKey) {
        self.beginMember(of: frame)
        self.writeString(key.stringValue)
        self.bytes.append(UInt8(ascii: ":"))
    }

    func close(downTo depth: Int) {
        while self.frames.count > depth {
            self.bytes.append(self.frames.removeLast().closer)
        }
    }

    /// Writes one value, closing whatever containers it opened.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        if Value.self == Date.self, let date = value as? Date {
            switch self.dateEncoding {
            case .millisecondsSince1970: return try self.writeFloatingPoint(1000 * date.timeIntervalSince1970)
            case .iso8601: return self.writeString(date.formatted(.iso8601))
            }
        }
        if Value.self == Data.self, let data = value as? Data {
            return self.writeString(data.base64EncodedString())
        }
        if Value.self == URL.self, let url = value as? URL {
            return self.writeString(url.absoluteString)
        }
        if Value.self == Decimal.self {
            self.unsupported = true
            return
        }
        let depth = self.frames.count
        let (outerFrame, outerWritten) = (self.valueFrame, self.valueWritten)
        (self.valueFrame, self.valueWritten) = (nil, false)
        defer { (self.valueFrame, self.valueWritten) = (outerFrame, outerWritten) }
        try value.encode(to: self)
        // A nested value that encoded nothing is `{}` to JSONEncoder; leave such rare shapes to it.
        if !self.valueWritten { self.unsupported = true }
        self.close(downTo: depth)
    }

    func writeNull() { self.bytes.append(contentsOf: "null".utf8) }

    func writeBool(_ value: Bool) { self.bytes.append(contentsOf: value ? "true".utf8 : "false".utf8) }

    func writeInteger(_ value: some BinaryInteger) { self.bytes.append(contentsOf: value.description.utf8) }

    /// As `JSONEncoder` writes them: the shortest text that reads back the same, without `.0`.
    func writeFloatingPoint<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: [], debugDescription: "JSON has no \(value)")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.bytes.append(contentsOf: text.utf8)
    }

    func writeString(_ value: String) {
        self.bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated()
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                self.writeEscape(byte)
                start = index + 1
            }
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    private func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): self.bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): self.bytes.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): self.bytes.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): self.bytes.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): self.bytes.append(contentsOf: #"\t"#.utf8)
        case 0x08 where self.shortControlEscapes: self.bytes.append(contentsOf: #"\b"#.utf8)
        case 0x0C where self.shortControlEscapes: self.bytes.append(contentsOf: #"\f"#.utf8)
        default:
            let hex = Array("0123456789abcdef".utf8)
            self.bytes.append(contentsOf: #"\u00"#.utf8)
            self.bytes.append(hex[Int(byte >> 4)])
            self.bytes.append(hex[Int(byte & 0x0F)])
        }
    }

    /// Marks the value's single value as written; a second one is not JSON.
    func beginSingleValue() {
        if self.valueWritten { self.unsupported = true }
        self.valueWritten = true
    }
}
