/// One decoded CBOR data item (RFC 8949 §3).
///
/// The decoder produces a tree of these; typed readers (`CBORValue.unsignedInteger`, `CBORMap`
/// subscripts, …) then pick the fields a protocol needs. Integers keep their major type so that
/// the full range −2⁶⁴…2⁶⁴−1 survives a round trip.
public indirect enum CBORValue: Sendable, Hashable {
    /// Major type 0: an unsigned integer.
    case unsigned(UInt64)
    /// Major type 1: the integer `-1 - n`.
    case negative(UInt64)
    /// Major type 2: a byte string.
    case byteString([UInt8])
    /// Major type 3: a UTF-8 text string.
    case textString(String)
    /// Major type 4: an array of data items.
    case array([CBORValue])
    /// Major type 5: a map, keeping the order of its entries.
    case map(CBORMap)
    /// Major type 6: a tagged data item.
    case tagged(tag: UInt64, CBORValue)
    /// Major type 7, values 20 and 21.
    case boolean(Bool)
    /// Major type 7, value 22.
    case null
    /// Major type 7, value 23.
    case undefined
    /// Major type 7, any other simple value (0…19, 32…255).
    case simple(UInt8)
    /// Major type 7, a half-, single- or double-precision float.
    case float(Double)
}

extension CBORValue {
    /// Creates an integer item, choosing major type 0 or 1 by sign.
    public init(_ integer: Int) {
        if integer >= 0 {
            self = .unsigned(UInt64(integer))
        } else {
            self = .negative(UInt64(-(integer + 1)))
        }
    }

    /// Creates a text string item.
    public init(_ text: String) {
        self = .textString(text)
    }

    /// The item's major type (0…7).
    public var majorType: UInt8 {
        switch self {
        case .unsigned: return 0
        case .negative: return 1
        case .byteString: return 2
        case .textString: return 3
        case .array: return 4
        case .map: return 5
        case .tagged: return 6
        case .boolean, .null, .undefined, .simple, .float: return 7
        }
    }

    /// The value as a Swift `Int`, when it is an integer that fits.
    public var integer: Int? {
        switch self {
        case .unsigned(let value):
            return value <= UInt64(Int.max) ? Int(value) : nil
        case .negative(let value):
            return value <= UInt64(Int.max) ? -1 - Int(value) : nil
        default:
            return nil
        }
    }

    /// The value when it is an unsigned integer (major type 0).
    public var unsignedInteger: UInt64? {
        if case .unsigned(let value) = self { return value }
        return nil
    }

    /// The bytes when the item is a byte string.
    public var bytes: [UInt8]? {
        if case .byteString(let value) = self { return value }
        return nil
    }

    /// The text when the item is a text string.
    public var text: String? {
        if case .textString(let value) = self { return value }
        return nil
    }

    /// The elements when the item is an array.
    public var arrayValue: [CBORValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The map when the item is a map.
    public var mapValue: CBORMap? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The value when the item is `true` or `false`.
    public var bool: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// Whether a NaN float appears anywhere in the item. Such an item is equal to no item, itself
    /// included (`==` compares floats as IEEE 754 does).
    var containsNaN: Bool {
        switch self {
        case .float(let value): return value.isNaN
        case .array(let elements): return elements.contains { $0.containsNaN }
        case .map(let map): return map.entries.contains { $0.key.containsNaN || $0.value.containsNaN }
        case .tagged(_, let content): return content.containsNaN
        default: return false
        }
    }

    /// A short name of the item's kind, for error messages.
    public var kindDescription: String {
        switch self {
        case .unsigned, .negative: return "integer"
        case .byteString: return "byte string"
        case .textString: return "text string"
        case .array: return "array"
        case .map: return "map"
        case .tagged: return "tagged item"
        case .boolean: return "boolean"
        case .null: return "null"
        case .undefined: return "undefined"
        case .simple: return "simple value"
        case .float: return "float"
        }
    }
}

extension CBORValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension CBORValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .textString(value)
    }
}

extension CBORValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .boolean(value)
    }
}
