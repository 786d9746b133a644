/// The fields of an `application/x-www-form-urlencoded` body or a URL's query string, decoded
/// totally: every input either decodes or throws an ``HTTPInputError``, none traps.
///
/// What is refused and what is tolerated (the WHATWG URL standard's parser tolerates more;
/// none of this server's forms needs it):
/// - empty pairs (`a=1&&b=2`, a leading or trailing `&`) are skipped, as WHATWG does;
/// - a pair without `=` is a field with an empty value (`flag` → `flag=""`);
/// - a field without a name (`=`, `=x`) is refused: `empty_name`;
/// - a `%` not followed by two hex digits is refused: `bad_percent_escape`;
/// - bytes that are not UTF-8 after decoding are refused: `invalid_utf8`;
/// - a control character (NUL, C0, DEL, C1) in a name is refused, and in a value too except
///   tab, CR and LF (a textarea's line breaks): `control_character`;
/// - more than ``maximumFieldCount`` fields are refused: `too_many_fields`;
/// - repeated names are kept in order (checkbox groups); ``single()`` refuses them.
public struct URLEncodedForm: Sendable, Hashable {
    /// One field, as sent.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// The most fields a form may have (our largest has a handful).
    public static let maximumFieldCount = 256

    /// The fields in the order they were sent.
    public private(set) var fields: [Field]

    /// Decodes a form body.
    ///
    /// - Parameters:
    ///   - bytes: The body.
    ///   - maximumFieldCount: The most fields accepted.
    /// - Throws: ``HTTPInputError`` as listed on the type.
    public init(
        decoding bytes: some Collection<UInt8>,
        maximumFieldCount: Int = URLEncodedForm.maximumFieldCount
    ) throws(HTTPInputError) {
        var fields: [Field] = []
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard fields.count < maximumFieldCount else {
                throw HTTPInputError(.tooManyFields, "A form has at most \(maximumFieldCount) fields.")
            }
            let name: String
            let value: String
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                name = try Self.component(pair[pair.startIndex..<equals], allowingLineBreaks: false)
                value = try Self.component(pair[pair.index(after: equals)...], allowingLineBreaks: true)
            } else {
                name = try Self.component(pair, allowingLineBreaks: false)
                value = ""
            }
            guard !name.isEmpty else { throw HTTPInputError(.emptyName, "A form field has no name.") }
            fields.append(Field(name: name, value: value))
        }
        self.fields = fields
    }

    /// Decodes a query string (without its `?`); `nil` is an empty query.
    ///
    /// - Throws: ``HTTPInputError`` as listed on the type.
    public init(query: String?) throws(HTTPInputError) {
        try self.init(decoding: Array((query ?? "").utf8))
    }

    static func component(_ bytes: some Collection<UInt8>, allowingLineBreaks: Bool) throws(HTTPInputError) -> String {
        let text = try PercentDecoding.text(try PercentDecoding.decode(bytes, plusIsSpace: true))
        for scalar in text.unicodeScalars where PercentDecoding.isControl(scalar) {
            if allowingLineBreaks, scalar == "\t" || scalar == "\r" || scalar == "\n" { continue }
            throw HTTPInputError(.controlCharacter, "A form field has a control character (U+\(Self.hex(scalar))).")
        }
        return text
    }

    static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Every value sent under `name`, in order.
    public func values(_ name: String) -> [String] {
        self.fields.filter { $0.name == name }.map(\.value)
    }

    /// The value sent under `name` (the first, when it was sent more than once).
    public subscript(name: String) -> String? {
        self.fields.first { $0.name == name }?.value
    }

    /// The fields as a dictionary of lists (checkbox groups keep every value).
    public var multiValued: [String: [String]] {
        var result: [String: [String]] = [:]
        for field in self.fields { result[field.name, default: []].append(field.value) }
        return result
    }

    /// The fields as a dictionary, each name sent at most once.
    ///
    /// - Throws: ``HTTPInputError`` `duplicate_field` when a name repeats: two values for one
    ///   field (two CSRF tokens, two passwords) are ambiguous, so neither is taken.
    public func single() throws(HTTPInputError) -> [String: String] {
        var result: [String: String] = [:]
        for field in self.fields {
            guard result.updateValue(field.value, forKey: field.name) == nil else {
                throw HTTPInputError(.duplicateField, "The field \(field.name) was sent more than once.")
            }
        }
        return result
    }
}
