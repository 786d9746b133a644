/// The cookies of `Cookie` request headers (RFC 6265 §5.4), decoded totally.
///
/// Browsers send what other sites on the same host set, so pairs that are not `name=value`
/// (no `=`, an empty name) are skipped rather than refused; values in double quotes lose them;
/// values are not percent-decoded (ours are base64url). A control character, bytes that are not
/// UTF-8 or more than ``maximumCookieCount`` cookies are refused.
public struct CookieHeader: Sendable, Hashable {
    /// The most cookies accepted (browsers keep about 180 per domain).
    public static let maximumCookieCount = 200

    /// The cookies in the order sent: `name`, `value`.
    public private(set) var cookies: [(name: String, value: String)]

    /// Decodes the values of every `Cookie` header of a request, in order.
    ///
    /// - Throws: ``HTTPInputError`` `control_character`, `invalid_utf8` or `too_many_fields`.
    public init(_ headers: [String]) throws(HTTPInputError) {
        var cookies: [(name: String, value: String)] = []
        for header in headers {
            for pair in header.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let name = try Self.trimmed(pair[pair.startIndex..<equals])
                var value = try Self.trimmed(pair[pair.index(after: equals)...])
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                guard cookies.count < Self.maximumCookieCount else {
                    throw HTTPInputError(.tooManyFields, "A request has at most \(Self.maximumCookieCount) cookies.")
                }
                cookies.append((name, value))
            }
        }
        self.cookies = cookies
    }

    static func trimmed(_ bytes: some Collection<UInt8>) throws(HTTPInputError) -> String {
        let text = try PercentDecoding.text(Array(bytes))
        guard !text.unicodeScalars.contains(where: { PercentDecoding.isControl($0) && $0 != "\t" }) else {
            throw HTTPInputError(.controlCharacter, "A cookie has a control character.")
        }
        return text.trimmingSpaces()
    }

    /// The first value of the cookie `name` (RFC 6265 sends the most specific path first).
    public subscript(name: String) -> String? {
        self.cookies.first { $0.name == name }?.value
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.cookies.map(\.name) == rhs.cookies.map(\.name) && lhs.cookies.map(\.value) == rhs.cookies.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for cookie in self.cookies {
            hasher.combine(cookie.name)
            hasher.combine(cookie.value)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
