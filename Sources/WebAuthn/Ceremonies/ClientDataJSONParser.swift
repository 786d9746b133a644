/// A strict, allocation-light reader for `clientDataJSON` (RFC 8259 JSON), used instead of
/// Foundation's decoder on the sign-in hot path.
///
/// It accepts exactly one JSON object, reads the members the verifier needs (`type`,
/// `challenge`, `origin`, `crossOrigin`, `topOrigin`, `tokenBinding.status`) and validates and
/// skips every other member. A needed member that appears twice, has the wrong type, or any
/// malformed JSON (bad escapes, control characters, invalid UTF-8, trailing bytes, nesting
/// deeper than 32) is an error.
struct ClientDataJSONParser {
    struct Failure: Error {}

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> CollectedClientData {
        var parser = ClientDataJSONParser(bytes)
        return try parser.parseClientData()
    }

    private mutating func parseClientData() throws(Failure) -> CollectedClientData {
        var type: String?
        var challenge: String?
        var origin: String?
        var crossOrigin: Bool?
        var topOrigin: String?
        var tokenBinding: CollectedClientData.TokenBinding?
        var seenCrossOrigin = false
        var seenTopOrigin = false
        var seenTokenBinding = false

        self.skipWhitespace()
        try self.expect(UInt8(ascii: "{"))
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
        } else {
            while true {
                self.skipWhitespace()
                let key = try self.parseStringSlice()
                self.skipWhitespace()
                try self.expect(UInt8(ascii: ":"))
                self.skipWhitespace()
                if key.elementsEqual(Keys.type) {
                    guard type == nil else { throw Failure() }
                    type = try self.parseString()
                } else if key.elementsEqual(Keys.challenge) {
                    guard challenge == nil else { throw Failure() }
                    challenge = try self.parseString()
                } else if key.elementsEqual(Keys.origin) {
                    guard origin == nil else { throw Failure() }
                    origin = try self.parseString()
                } else if key.elementsEqual(Keys.crossOrigin) {
                    guard !seenCrossOrigin else { throw Failure() }
                    seenCrossOrigin = true
                    crossOrigin = try self.parseOptionalBool()
                } else if key.elementsEqual(Keys.topOrigin) {
                    guard !seenTopOrigin else { throw Failure() }
                    seenTopOrigin = true
                    topOrigin = try self.parseOptionalString()
                } else if key.elementsEqual(Keys.tokenBinding) {
                    guard !seenTokenBinding else { throw Failure() }
                    seenTokenBinding = true
                    tokenBinding = try self.parseTokenBinding()
                } else {
                    try self.skipValue(depth: 1)
                }
                self.skipWhitespace()
                let separator = try self.next()
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { throw Failure() }
            }
        }
        self.skipWhitespace()
        guard self.index == self.bytes.count, let type, let challenge, let origin else { throw Failure() }
        return CollectedClientData(
            type: type,
            challenge: challenge,
            origin: origin,
            crossOrigin: crossOrigin,
            topOrigin: topOrigin,
            tokenBinding: tokenBinding
        )
    }

    /// `tokenBinding` is read only when it is an object with a string `status`; Level 3 dropped
    /// the member, and old clients sent other shapes, which are skipped.
    private mutating func parseTokenBinding() throws(Failure) -> CollectedClientData.TokenBinding? {
        guard self.peek() == UInt8(ascii: "{") else {
            try self.skipValue(depth: 1)
            return nil
        }
        self.index += 1
        var status: String?
        var id: String?
        var statusValid = true
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
            return nil
        }
        while true {
            self.skipWhitespace()
            let key = try self.parseStringSlice()
            self.skipWhitespace()
            try self.expect(UInt8(ascii: ":"))
            self.skipWhitespace()
            if key.elementsEqual(Keys.status), self.peek() == UInt8(ascii: "\"") {
                status = try self.parseString()
            } else if key.elementsEqual(Keys.id), self.peek() == UInt8(ascii: "\"") {
                id = try self.parseString()
            } else {
                if key.elementsEqual(Keys.status) { statusValid = false }
                try self.skipValue(depth: 2)
            }
            self.skipWhitespace()
            let separator = try self.next()
            if separator == UInt8(ascii: "}") { break }
            guard separator == UInt8(ascii: ",") else { throw Failure() }
        }
        guard statusValid, let status else { return nil }
        return CollectedClientData.TokenBinding(status: status, id: id)
    }

    /// The member names the parser looks for, as UTF-8.
    private enum Keys {
        static let type = Array("type".utf8)
        static let challenge = Array("challenge".utf8)
        static let origin = Array("origin".utf8)
        static let crossOrigin = Array("crossOrigin".utf8)
        static let topOrigin = Array("topOrigin".utf8)
        static let tokenBinding = Array("tokenBinding".utf8)
        static let status = Array("status".utf8)
        static let id = Array("id".utf8)
    }

    // MARK: - Tokens

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func next() throws(Failure) -> UInt8 {
        guard self.index < self.bytes.count else { throw Failure() }
        defer { self.index += 1 }
        return self.bytes[self.index]
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try self.next() == byte else { throw Failure() }
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0a, 0x0d: self.index += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw Failure() }
        let matches = literal.withUTF8Buffer { buffer in
            buffer.elementsEqual(self.bytes[self.index..<(self.index + count)])
        }
        guard matches else { throw Failure() }
        self.index += count
    }

    private mutating func parseOptionalBool() throws(Failure) -> Bool? {
        switch self.peek() {
        case UInt8(ascii: "t"): try self.expectLiteral("true"); return true
        case UInt8(ascii: "f"): try self.expectLiteral("false"); return false
        case UInt8(ascii: "n"): try self.expectLiteral("null"); return nil
        default: throw Failure()
        }
    }

    private mutating func parseOptionalString() throws(Failure) -> String? {
        if self.peek() == UInt8(ascii: "n") {
            try self.expectLiteral("null")
            return nil
        }
        return try self.parseString()
    }

    private mutating func parseString() throws(Failure) -> String {
        let raw = try self.parseStringSlice()
        guard let text = String(validating: raw, as: UTF8.self) else { throw Failure() }
        return text
    }

    /// Parses a JSON string and returns its unescaped UTF-8 bytes: a slice of the input when
    /// the string has no escapes (the common case, no allocation), a new array otherwise.
    private mutating func parseStringSlice() throws(Failure) -> ArraySlice<UInt8> {
        try self.expect(UInt8(ascii: "\""))
        let start = self.index
        // Fast path: no escapes.
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

    /// Validates and skips any JSON value.
    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth <= 32 else { throw Failure() }
        guard let byte = self.peek() else { throw Failure() }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try self.parseString()
        case UInt8(ascii: "t"): try self.expectLiteral("true")
        case UInt8(ascii: "f"): try self.expectLiteral("false")
        case UInt8(ascii: "n"): try self.expectLiteral("null")
        case UInt8(ascii: "{"):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "}") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                _ = try self.parseString()
                self.skipWhitespace()
                try self.expect(UInt8(ascii: ":"))
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                let separator = try self.next()
                if separator == UInt8(ascii: "}") { return }
                guard separator == UInt8(ascii: ",") else { throw Failure() }
            }
        case UInt8(ascii: "["):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "]") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                let separator = try self.next()
                if separator == UInt8(ascii: "]") { return }
                guard separator == UInt8(ascii: ",") else { throw Failure() }
            }
        default:
            try self.skipNumber()
        }
    }

    /// RFC 8259 §6 number grammar.
    private mutating func skipNumber() throws(Failure) {
        func digits(_ parser: inout ClientDataJSONParser) -> Int {
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
    }
}
