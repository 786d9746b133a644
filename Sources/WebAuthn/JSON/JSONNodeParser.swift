/// The recursive-descent parser behind ``JSONNode/parse(_:)``.
struct JSONNodeParser {
    struct Failure: Error {}

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(Failure) -> JSONNode {
        self.skipWhitespace()
        let value = try self.parseValue(depth: 0)
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw Failure() }
        return value
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONNode {
        guard depth < 64, self.index < self.bytes.count else { throw Failure() }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"):
            self.index += 1
            var names: [String] = []
            var values: [JSONNode] = []
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "}") {
                self.index += 1
                return .object(JSONObject(names: names, values: values))
            }
            while true {
                self.skipWhitespace()
                let name = try self.parseString()
                guard !names.contains(name) else { throw Failure() }
                self.skipWhitespace()
                try self.expect(UInt8(ascii: ":"))
                self.skipWhitespace()
                let value = try self.parseValue(depth: depth + 1)
                names.append(name)
                values.append(value)
                self.skipWhitespace()
                let separator = try self.next()
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { throw Failure() }
            }
            return .object(JSONObject(names: names, values: values))
        case UInt8(ascii: "["):
            self.index += 1
            var elements: [JSONNode] = []
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "]") {
                self.index += 1
                return .array(elements)
            }
            while true {
                self.skipWhitespace()
                elements.append(try self.parseValue(depth: depth + 1))
                self.skipWhitespace()
                let separator = try self.next()
                if separator == UInt8(ascii: "]") { break }
                guard separator == UInt8(ascii: ",") else { throw Failure() }
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try self.parseString())
        case UInt8(ascii: "t"):
            try self.expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.expectLiteral("null")
            return .null
        default:
            return .number(try self.parseNumber())
        }
    }

    func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    mutating func next() throws(Failure) -> UInt8 {
        guard self.index < self.bytes.count else { throw Failure() }
        defer { self.index += 1 }
        return self.bytes[self.index]
    }

    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try self.next() == byte else { throw Failure() }
    }

    mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0a, 0x0d: self.index += 1
            default: return
            }
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw Failure() }
        let matches = literal.withUTF8Buffer { $0.elementsEqual(self.bytes[self.index..<(self.index + count)]) }
        guard matches else { throw Failure() }
        self.index += count
    }

    mutating func parseString() throws(Failure) -> String {
        try self.expect(UInt8(ascii: "\""))
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: self.bytes[start..<self.index], as: UTF8.self) else {
                    throw Failure()
                }
                self.index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Failure() }
            self.index += 1
        }
        var output = Array(self.bytes[start..<self.index])
        while true {
            let byte = try self.next()
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: output, as: UTF8.self) else { throw Failure() }
                return text
            case UInt8(ascii: "\\"):
                let escape = try self.next()
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0c)
                case UInt8(ascii: "n"): output.append(0x0a)
                case UInt8(ascii: "r"): output.append(0x0d)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try self.parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try self.expect(UInt8(ascii: "\\"))
                        try self.expect(UInt8(ascii: "u"))
                        let low = try self.parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Failure() }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw Failure()
                }
            default:
                guard byte >= 0x20 else { throw Failure() }
                output.append(byte)
            }
        }
    }

    mutating func parseHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try self.next()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// RFC 8259 §6 number grammar; returns the number's text.
    mutating func parseNumber() throws(Failure) -> String {
        let start = self.index
        func digits(_ parser: inout JSONNodeParser) -> Int {
            var count = 0
            while let byte = parser.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                parser.index += 1
                count += 1
            }
            return count
        }
        if self.peek() == UInt8(ascii: "-") { self.index += 1 }
        if self.peek() == UInt8(ascii: "0") {
            self.index += 1
        } else {
            guard let first = self.peek(), first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else {
                throw Failure()
            }
            _ = digits(&self)
        }
        if self.peek() == UInt8(ascii: ".") {
            self.index += 1
            guard digits(&self) > 0 else { throw Failure() }
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.index += 1
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.index += 1 }
            guard digits(&self) > 0 else { throw Failure() }
        }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }
}
