/// A strict, allocation-light reader for `clientDataJSON`, used instead of a general JSON
/// decoder on the sign-in hot path.
///
/// It accepts exactly one JSON object (RFC 8259, via ``JSONScanner``), reads the members the
/// verifier needs (`type`, `challenge`, `origin`, `crossOrigin`, `topOrigin`,
/// `tokenBinding.status`) and validates and skips every other member. A needed member that
/// appears twice or has the wrong type, or any malformed JSON, is an error.
enum ClientDataJSONParser {
    /// The member names the reader looks for, as UTF-8.
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

    static func parse(_ bytes: [UInt8]) throws(JSONScanner.Failure) -> CollectedClientData {
        var scanner = JSONScanner(bytes)
        var type: String?
        var challenge: String?
        var origin: String?
        var crossOrigin: Bool?
        var topOrigin: String?
        var tokenBinding: CollectedClientData.TokenBinding?
        var seen = Set<Int>()

        func once(_ member: Int) throws(JSONScanner.Failure) {
            guard seen.insert(member).inserted else { throw JSONScanner.Failure() }
        }

        scanner.skipWhitespace()
        try scanner.parseObject { scanner, name throws(JSONScanner.Failure) in
            if name.elementsEqual(Keys.type) {
                try once(0)
                type = try scanner.parseString()
            } else if name.elementsEqual(Keys.challenge) {
                try once(1)
                challenge = try scanner.parseString()
            } else if name.elementsEqual(Keys.origin) {
                try once(2)
                origin = try scanner.parseString()
            } else if name.elementsEqual(Keys.crossOrigin) {
                try once(3)
                crossOrigin = try scanner.parseOptionalBool()
            } else if name.elementsEqual(Keys.topOrigin) {
                try once(4)
                topOrigin = try scanner.parseOptionalString()
            } else if name.elementsEqual(Keys.tokenBinding) {
                try once(5)
                tokenBinding = try Self.parseTokenBinding(&scanner)
            } else {
                guard String(validating: name, as: UTF8.self) != nil else { throw JSONScanner.Failure() }
                try scanner.skipValue(depth: 1)
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd, let type, let challenge, let origin else { throw JSONScanner.Failure() }
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
    private static func parseTokenBinding(
        _ scanner: inout JSONScanner
    ) throws(JSONScanner.Failure) -> CollectedClientData.TokenBinding? {
        guard scanner.peek() == UInt8(ascii: "{") else {
            try scanner.skipValue(depth: 1)
            return nil
        }
        var status: String?
        var id: String?
        var statusValid = true
        try scanner.parseObject { scanner, name throws(JSONScanner.Failure) in
            let isString = scanner.peek() == UInt8(ascii: "\"")
            if name.elementsEqual(Keys.status), isString {
                status = try scanner.parseString()
            } else if name.elementsEqual(Keys.id), isString {
                id = try scanner.parseString()
            } else {
                if name.elementsEqual(Keys.status) { statusValid = false }
                try scanner.skipValue(depth: 2)
            }
        }
        guard statusValid, let status else { return nil }
        return CollectedClientData.TokenBinding(status: status, id: id)
    }
}
