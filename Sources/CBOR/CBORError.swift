/// An error found while decoding CBOR.
///
/// `code` says what kind of problem it was and is stable across releases; `offset` is the byte
/// position in the input where decoding stopped. Two errors are equal when their codes are.
public struct CBORError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of decoding failure. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The input ended inside a data item.
        public static let truncated = Code(rawValue: "truncated")
        /// A declared length is longer than the bytes that remain.
        public static let lengthExceedsInput = Code(rawValue: "length_exceeds_input")
        /// An integer, length or tag was not in its shortest form (strict mode).
        public static let nonCanonical = Code(rawValue: "non_canonical")
        /// Map keys were not in CTAP2 canonical order (when that order is required).
        public static let mapKeyOrder = Code(rawValue: "map_key_order")
        /// A map held the same key twice.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// An indefinite-length item appeared where only definite lengths are allowed.
        public static let indefiniteLength = Code(rawValue: "indefinite_length")
        /// A text string was not valid UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// Items were nested deeper than the decoder's limit.
        public static let depthLimitExceeded = Code(rawValue: "depth_limit_exceeded")
        /// Additional information 28–30, a stray "break", or a malformed simple value.
        public static let malformed = Code(rawValue: "malformed")
        /// Bytes followed the single item that was expected.
        public static let trailingBytes = Code(rawValue: "trailing_bytes")
        /// The item was well formed but not of the type that was expected.
        public static let unexpectedType = Code(rawValue: "unexpected_type")
    }

    /// What went wrong.
    public var code: Code
    /// The byte offset in the input at which the problem was found.
    public var offset: Int
    /// A sentence describing the problem.
    public var reason: String

    /// Creates an error.
    public init(code: Code, offset: Int, reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "CBORError.\(self.code) at byte \(self.offset): \(self.reason)"
    }

    public static func == (lhs: CBORError, rhs: CBORError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    /// The input ended at `offset` inside a data item.
    public static func truncated(at offset: Int) -> CBORError {
        CBORError(code: .truncated, offset: offset, reason: "the input ends inside a data item")
    }

    /// A non-shortest encoding at `offset`.
    public static func nonCanonical(at offset: Int, _ what: String = "an integer") -> CBORError {
        CBORError(code: .nonCanonical, offset: offset, reason: "\(what) is not in its shortest form")
    }

    /// A repeated map key at `offset`.
    public static func duplicateKey(at offset: Int) -> CBORError {
        CBORError(code: .duplicateKey, offset: offset, reason: "a map holds the same key twice")
    }

    /// A value of the wrong type.
    public static func unexpectedType(expected: String, found: CBORValue, offset: Int = 0) -> CBORError {
        CBORError(
            code: .unexpectedType,
            offset: offset,
            reason: "expected \(expected), found \(found.kindDescription)"
        )
    }
}
