/// Why bytes from outside (a form body, a query string, a Cookie header, a request path, a
/// forwarding header) were refused. Equality is by ``code``; the reason is for people.
public struct HTTPInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, as an open set of stable codes (adding one is not source-breaking).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// A form or query field without a name (`=x`, `=`).
        public static let emptyName = Code(rawValue: "empty_name")
        /// A `%` not followed by two hexadecimal digits.
        public static let badPercentEscape = Code(rawValue: "bad_percent_escape")
        /// Bytes (after percent-decoding) that are not UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// A NUL or other control character where none may be.
        public static let controlCharacter = Code(rawValue: "control_character")
        /// More fields (or cookies) than any of our forms has.
        public static let tooManyFields = Code(rawValue: "too_many_fields")
        /// A field that may appear once appeared more than once.
        public static let duplicateField = Code(rawValue: "duplicate_field")
        /// A path that does not start with `/`, or has a character a path may not have.
        public static let badPath = Code(rawValue: "bad_path")
        /// A `.` or `..` segment in a path.
        public static let dotSegment = Code(rawValue: "dot_segment")
        /// A percent-encoded `/`, `\` or `.` in a path (`%2F`, `%5C`, `%2E`).
        public static let encodedSeparator = Code(rawValue: "encoded_separator")
        /// Not an IPv4 or IPv6 address.
        public static let badAddress = Code(rawValue: "bad_address")
        /// Not an address range (`ADDRESS/PREFIX`).
        public static let badRange = Code(rawValue: "bad_range")
        /// A `Host` (or an absolute target's authority) that is not `host[:port]`.
        public static let badHost = Code(rawValue: "bad_host")
    }

    public var code: Code
    /// A sentence saying what was refused.
    public var reason: String
    public var file: String
    public var line: UInt

    /// Creates an error.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "HTTPInputError.\(self.code): \(self.reason)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }
}
