/// A request path checked and brought to one spelling, so that every decision about a request
/// (CSRF, limits, which handler runs) is made on the path the router dispatches.
///
/// The canonical spelling has no empty segments (`//`, a trailing `/`); the root is `/`.
/// Refused, because no route of ours needs them and each is a way to spell one path two ways:
/// - a path not starting with `/` (an absolute URI or `*`), `\`, `#` (a fragment is never
///   sent), spaces, control characters or bytes outside ASCII: `bad_path`;
/// - `.` and `..` segments: `dot_segment`;
/// - a percent-encoded `/`, `\` or `.` (`%2F`, `%5C`, `%2E`, either case) or a percent-encoded
///   control character: `encoded_separator`;
/// - a `%` not followed by two hex digits: `bad_percent_escape`.
/// Case is kept: the router matches paths case-sensitively, so `/API/…` is simply not found.
public struct RequestPath: Sendable, Hashable, CustomStringConvertible {
    /// The longest path accepted.
    public static let maximumLength = 2_048

    /// The segments between slashes, as sent (percent escapes kept).
    public let segments: [String]
    /// Whether the path arrived in its canonical spelling.
    public let wasCanonical: Bool

    /// Checks `raw`, the path of a request line (without its query).
    ///
    /// - Throws: ``HTTPInputError`` as listed on the type.
    public init(_ raw: String) throws(HTTPInputError) {
        let bytes = Array(raw.utf8)
        guard bytes.first == UInt8(ascii: "/"), bytes.count <= Self.maximumLength else {
            throw HTTPInputError(.badPath, "A request path starts with / and has at most \(Self.maximumLength) bytes.")
        }
        var segments: [String] = []
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            try Self.check(segment)
            segments.append(String(decoding: segment, as: UTF8.self))
        }
        self.segments = segments
        self.wasCanonical = raw == Self.spell(segments)
    }

    static func check(_ segment: ArraySlice<UInt8>) throws(HTTPInputError) {
        guard !segment.elementsEqual(".".utf8), !segment.elementsEqual("..".utf8) else {
            throw HTTPInputError(.dotSegment, "A request path may not have . or .. segments.")
        }
        var index = segment.startIndex
        while index < segment.endIndex {
            let byte = segment[index]
            guard byte > 0x20, byte < 0x7f, byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "#") else {
                throw HTTPInputError(
                    .badPath,
                    "A request path has a space, a control character, \\, # or a non-ASCII byte."
                )
            }
            if byte == UInt8(ascii: "%") {
                let highIndex = segment.index(after: index)
                let lowIndex = highIndex < segment.endIndex ? segment.index(after: highIndex) : segment.endIndex
                guard lowIndex < segment.endIndex, let high = PercentDecoding.hexValue(segment[highIndex]),
                    let low = PercentDecoding.hexValue(segment[lowIndex])
                else { throw HTTPInputError(.badPercentEscape, "A % must be followed by two hexadecimal digits.") }
                let decoded = high << 4 | low
                guard decoded >= 0x20, decoded != 0x7f, decoded != UInt8(ascii: "/"), decoded != UInt8(ascii: "\\"),
                    decoded != UInt8(ascii: ".")
                else { throw HTTPInputError(.encodedSeparator, "A request path may not encode /, \\, . or controls.") }
                index = segment.index(after: lowIndex)
            } else {
                index = segment.index(after: index)
            }
        }
    }

    static func spell(_ segments: [String]) -> String {
        "/" + segments.joined(separator: "/")
    }

    /// The canonical spelling.
    public var canonical: String { Self.spell(self.segments) }

    public var description: String { self.canonical }
}
