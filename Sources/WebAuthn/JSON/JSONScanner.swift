/// The RFC 8259 tokenizer shared by the strict JSON readers (``JSONNode`` and the
/// clientDataJSON reader): whitespace, literals, strings with escapes and UTF-8 validation,
/// numbers, and object/array walking with a depth limit.
struct JSONScanner {
    struct Failure: Error {}

    /// The deepest nesting accepted.
    static let maxDepth = 64

    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.index == self.bytes.count }

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

    /// `true`, `false` or `null` (as `nil`).
    mutating func parseOptionalBool() throws(Failure) -> Bool? {
        switch self.peek() {
        case UInt8(ascii: "t"):
            try self.expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try self.expectLiteral("false")
            return false
        case UInt8(ascii: "n"):
            try self.expectLiteral("null")
            return nil
        default: throw Failure()
        }
    }

    /// A string, or `null` (as `nil`).
    mutating func parseOptionalString() throws(Failure) -> String? {
        if self.peek() == UInt8(ascii: "n") {
            try self.expectLiteral("null")
            return nil
        }
        return try self.parseString()
    }

    /// A string, UTF-8 validated.
    mutating func parseString() throws(Failure) -> String {
        let raw = try self.parseStringSlice()
        guard let text = String(validating: raw, as: UTF8.self) else { throw Failure() }
        return text
    }

    /// A string's unescaped UTF-8 bytes: a slice of the input when the string has no escapes
    /// (the common case, no allocation), a new array otherwise. Not yet UTF-8 validated.
    mutating func parseStringSlice() throws(Failure) -> ArraySlice<UInt8> {
        try self.expect(UInt8(ascii: "\""))
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return self.bytes[start..<self.index]
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
                return output[...]
            case UInt8(ascii: "\\"):
                try self.appendEscape(to: &output)
            default:
                guard byte >= 0x20 else { throw Failure() }
                output.append(byte)
            }
        }
    }

    private mutating func appendEscape(to output: inout [UInt8]) throws(Failure) {
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
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
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

    /// A number (RFC 8259 §6 grammar); returns its text.
    mutating func parseNumber() throws(Failure) -> String {
        let start = self.index
        if self.peek() == UInt8(ascii: "-") { self.index += 1 }
        if self.peek() == UInt8(ascii: "0") {
            self.index += 1
        } else {
            guard let first = self.peek(), first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else {
                throw Failure()
            }
            _ = self.skipDigits()
        }
        if self.peek() == UInt8(ascii: ".") {
            self.index += 1
            guard self.skipDigits() > 0 else { throw Failure() }
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.index += 1
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.index += 1 }
            guard self.skipDigits() > 0 else { throw Failure() }
        }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    private mutating func skipDigits() -> Int {
        var count = 0
        while let byte = self.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            self.index += 1
            count += 1
        }
        return count
    }

    /// Walks an object whose `{` is next, calling `member` with each name once the scanner
    /// stands at the member's value; `member` must consume the value.
    mutating func parseObject(
        _ member: (inout JSONScanner, ArraySlice<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        try self.expect(UInt8(ascii: "{"))
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
            return
        }
        while true {
            self.skipWhitespace()
            let name = try self.parseStringSlice()
            self.skipWhitespace()
            try self.expect(UInt8(ascii: ":"))
            self.skipWhitespace()
            try member(&self, name)
            self.skipWhitespace()
            let separator = try self.next()
            if separator == UInt8(ascii: "}") { return }
            guard separator == UInt8(ascii: ",") else { throw Failure() }
        }
    }

    /// Walks an array whose `[` is next, calling `element` at each element's start.
    mutating func parseArray(_ element: (inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try self.expect(UInt8(ascii: "["))
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.index += 1
            return
        }
        while true {
            self.skipWhitespace()
            try element(&self)
            self.skipWhitespace()
            let separator = try self.next()
            if separator == UInt8(ascii: "]") { return }
            guard separator == UInt8(ascii: ",") else { throw Failure() }
        }
    }

    /// Validates and skips any value.
    mutating func skipValue(depth: Int) throws(Failure) {
        guard depth < Self.maxDepth, let byte = self.peek() else { throw Failure() }
        switch byte {
        case UInt8(ascii: "\""): _ = try self.parseString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): _ = try self.parseOptionalBool()
        case UInt8(ascii: "{"):
            try self.parseObject { scanner, name throws(Failure) in
                guard String(validating: name, as: UTF8.self) != nil else { throw Failure() }
                try scanner.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try self.parseArray { scanner throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        default:
            _ = try self.parseNumber()
        }
    }
}
