/// A parsed JSON value (RFC 8259), produced by a strict, fast parser.
///
/// Foundation's `JSONDecoder` is general and slow on Linux; verifying thousands of responses a
/// second needs less. ``JSONNode/parse(_:)`` accepts exactly one JSON value: valid UTF-8, no
/// trailing bytes, no duplicate object keys, nesting at most 64 deep. The response types build
/// themselves from it with the same rules as their `Codable` conformances: unknown members are
/// ignored, `null` counts as absent for optional members, and members of the wrong type are
/// rejected.
public indirect enum JSONNode: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its text so that large integers keep their precision.
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Members in document order.
    case object(JSONObject)

    /// Parses one JSON document.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_json`, naming the byte offset of the problem.
    public static func parse(_ bytes: [UInt8]) throws(WebAuthnError) -> JSONNode {
        var parser = JSONNodeParser(bytes: bytes)
        do {
            let value = try parser.parseDocument()
            return value
        } catch {
            throw WebAuthnError(.malformedJSON, "The JSON is malformed at byte \(parser.index).")
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }
}

/// The members of a JSON object, in document order, with unique names.
public struct JSONObject: Sendable, Hashable {
    /// The members.
    public var members: [(name: String, value: JSONNode)] {
        zip(self.names, self.values).map { ($0, $1) }
    }

    var names: [String]
    var values: [JSONNode]

    /// The value of the member `name`, or `nil`.
    public subscript(name: String) -> JSONNode? {
        guard let index = self.names.firstIndex(of: name) else { return nil }
        return self.values[index]
    }
}

/// Typed access to a JSON object's members with the `Codable` rules (`null` is absent, wrong
/// types are rejected), throwing `malformed_json` errors that name the member's path.
public struct JSONFields: Sendable {
    /// The object.
    public let object: JSONObject
    /// The object's path in the document, for error messages (`response.transports`).
    public let path: String

    /// Wraps `node`, which must be an object.
    public init(_ node: JSONNode, path: String = "") throws(WebAuthnError) {
        guard case .object(let object) = node else {
            throw WebAuthnError(.malformedJSON, "\(path.isEmpty ? "The document" : path) is not a JSON object.")
        }
        self.object = object
        self.path = path
    }

    func name(_ member: String) -> String {
        self.path.isEmpty ? member : "\(self.path).\(member)"
    }

    func wrongType(_ member: String, _ expected: String, file: StaticString = #fileID, line: UInt = #line)
        -> WebAuthnError
    {
        WebAuthnError(.malformedJSON, "\(self.name(member)) is not \(expected).", file: file, line: line)
    }

    func missing(_ member: String, file: StaticString = #fileID, line: UInt = #line) -> WebAuthnError {
        WebAuthnError(.malformedJSON, "\(self.name(member)) is missing.", file: file, line: line)
    }

    /// The member, with `null` treated as absent.
    public func value(_ member: String) -> JSONNode? {
        guard let value = self.object[member], value != .null else { return nil }
        return value
    }

    public func string(_ member: String) throws(WebAuthnError) -> String {
        guard let value = self.value(member) else { throw self.missing(member) }
        guard case .string(let text) = value else { throw self.wrongType(member, "a string") }
        return text
    }

    public func optionalString(_ member: String) throws(WebAuthnError) -> String? {
        guard let value = self.value(member) else { return nil }
        guard case .string(let text) = value else { throw self.wrongType(member, "a string") }
        return text
    }

    public func optionalBool(_ member: String) throws(WebAuthnError) -> Bool? {
        guard let value = self.value(member) else { return nil }
        guard case .bool(let flag) = value else { throw self.wrongType(member, "a boolean") }
        return flag
    }

    public func optionalInteger<Integer: FixedWidthInteger>(_ member: String, as type: Integer.Type)
        throws(WebAuthnError) -> Integer?
    {
        guard let value = self.value(member) else { return nil }
        guard case .number(let text) = value, let number = Integer(text) ?? Self.integral(text, as: type) else {
            throw self.wrongType(member, "an integer in range")
        }
        return number
    }

    /// Integers written as `12.0` or `1.2e3`, as Codable accepts them.
    static func integral<Integer: FixedWidthInteger>(_ text: String, as type: Integer.Type) -> Integer? {
        guard let double = Double(text), double.rounded() == double, let exact = Integer(exactly: double) else {
            return nil
        }
        return exact
    }

    public func bytes(_ member: String) throws(WebAuthnError) -> Base64URLBytes {
        let text = try self.string(member)
        guard let bytes = Base64URL.decode(text) else { throw self.wrongType(member, "base64url") }
        return Base64URLBytes(bytes)
    }

    public func optionalBytes(_ member: String) throws(WebAuthnError) -> Base64URLBytes? {
        guard let text = try self.optionalString(member) else { return nil }
        guard let bytes = Base64URL.decode(text) else { throw self.wrongType(member, "base64url") }
        return Base64URLBytes(bytes)
    }

    public func optionalStrings(_ member: String) throws(WebAuthnError) -> [String]? {
        guard let value = self.value(member) else { return nil }
        guard case .array(let elements) = value else { throw self.wrongType(member, "an array of strings") }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { throw self.wrongType(member, "an array of strings") }
            strings.append(text)
        }
        return strings
    }

    public func object(_ member: String) throws(WebAuthnError) -> JSONFields {
        guard let value = self.value(member) else { throw self.missing(member) }
        return try JSONFields(value, path: self.name(member))
    }

    public func optionalObject(_ member: String) throws(WebAuthnError) -> JSONFields? {
        guard let value = self.value(member) else { return nil }
        return try JSONFields(value, path: self.name(member))
    }
}
