/// The recursive-descent parser behind ``JSONNode/parse(_:)``, on ``JSONScanner`` tokens.
struct JSONNodeParser {
    var scanner: JSONScanner

    init(bytes: [UInt8]) {
        self.scanner = JSONScanner(bytes)
    }

    var index: Int { self.scanner.index }

    mutating func parseDocument() throws(JSONScanner.Failure) -> JSONNode {
        self.scanner.skipWhitespace()
        let value = try Self.parseValue(&self.scanner, depth: 0)
        self.scanner.skipWhitespace()
        guard self.scanner.isAtEnd else { throw JSONScanner.Failure() }
        return value
    }

    /// Up to this many members, duplicate names are found by scanning.
    static let scannedNames = 16

    static func parseValue(_ scanner: inout JSONScanner, depth: Int) throws(JSONScanner.Failure) -> JSONNode {
        guard depth < JSONScanner.maxDepth, let byte = scanner.peek() else { throw JSONScanner.Failure() }
        switch byte {
        case UInt8(ascii: "{"):
            var names: [String] = []
            var values: [JSONNode] = []
            // Duplicate names: a scan of the names so far while the object is small (the usual
            // case, no allocation), a set of them from then on, so a body of thousands of members
            // costs linear time, not a scan per member.
            var seen: Set<String>?
            try scanner.parseObject { scanner, rawName throws(JSONScanner.Failure) in
                guard let name = String(validating: rawName, as: UTF8.self) else { throw JSONScanner.Failure() }
                if names.count < Self.scannedNames {
                    guard !names.contains(name) else { throw JSONScanner.Failure() }
                } else {
                    if seen == nil { seen = Set(names) }
                    guard seen?.insert(name).inserted == true else { throw JSONScanner.Failure() }
                }
                names.append(name)
                values.append(try Self.parseValue(&scanner, depth: depth + 1))
            }
            return .object(JSONObject(names: names, values: values))
        case UInt8(ascii: "["):
            var elements: [JSONNode] = []
            try scanner.parseArray { scanner throws(JSONScanner.Failure) in
                elements.append(try Self.parseValue(&scanner, depth: depth + 1))
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try scanner.parseString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try scanner.parseOptionalBool().map(JSONNode.bool) ?? .null
        default:
            return .number(try scanner.parseNumber())
        }
    }
}
