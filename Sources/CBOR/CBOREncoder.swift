/// Encodes ``CBORValue`` trees as CBOR (RFC 8949).
///
/// Output always uses definite lengths and the shortest form of every integer, length and tag.
/// With `canonical` (the default) map keys are sorted in CTAP2 canonical order, so what the
/// encoder writes is what a CTAP2 authenticator would write. Floats use the shortest of half,
/// single or double precision that keeps the value exactly (RFC 8949 §4.2.2 preferred serialization).
public struct CBOREncoder: Sendable {
    /// Whether maps are written with their keys in CTAP2 canonical order.
    public var canonical: Bool

    /// Creates an encoder.
    public init(canonical: Bool = true) {
        self.canonical = canonical
    }

    /// Encodes one data item.
    public func encode(_ value: CBORValue) -> [UInt8] {
        var output: [UInt8] = []
        self.append(value, to: &output)
        return output
    }

    /// Appends the encoding of `value` to `output`.
    public func append(_ value: CBORValue, to output: inout [UInt8]) {
        switch value {
        case .unsigned(let number):
            Self.appendHead(major: 0, argument: number, to: &output)
        case .negative(let number):
            Self.appendHead(major: 1, argument: number, to: &output)
        case .byteString(let bytes):
            Self.appendHead(major: 2, argument: UInt64(bytes.count), to: &output)
            output.append(contentsOf: bytes)
        case .textString(let text):
            let utf8 = Array(text.utf8)
            Self.appendHead(major: 3, argument: UInt64(utf8.count), to: &output)
            output.append(contentsOf: utf8)
        case .array(let elements):
            Self.appendHead(major: 4, argument: UInt64(elements.count), to: &output)
            for element in elements {
                self.append(element, to: &output)
            }
        case .map(let map):
            Self.appendHead(major: 5, argument: UInt64(map.count), to: &output)
            var encodedEntries = map.entries.map { (key: self.encode($0.key), value: $0.value) }
            if self.canonical {
                encodedEntries.sort { Self.canonicalOrder($0.key[...], $1.key[...]) }
            }
            for entry in encodedEntries {
                output.append(contentsOf: entry.key)
                self.append(entry.value, to: &output)
            }
        case .tagged(let tag, let content):
            Self.appendHead(major: 6, argument: tag, to: &output)
            self.append(content, to: &output)
        case .boolean(let flag):
            output.append(flag ? 0xf5 : 0xf4)
        case .null:
            output.append(0xf6)
        case .undefined:
            output.append(0xf7)
        case .simple(let simple):
            if simple < 24 {
                output.append(0xe0 | simple)
            } else {
                output.append(contentsOf: [0xf8, simple])
            }
        case .float(let number):
            Self.appendFloat(number, to: &output)
        }
    }

    /// CTAP2 canonical order of two encoded keys: lower major type first, then the shorter
    /// encoding, then byte-wise lexical order.
    public static func canonicalOrder(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        guard let left = lhs.first, let right = rhs.first else { return lhs.count < rhs.count }
        if left >> 5 != right >> 5 { return left >> 5 < right >> 5 }
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        return lhs.lexicographicallyPrecedes(rhs)
    }

    static func appendHead(major: UInt8, argument: UInt64, to output: inout [UInt8]) {
        let type = major << 5
        switch argument {
        case 0..<24:
            output.append(type | UInt8(argument))
        case 24...0xff:
            output.append(contentsOf: [type | 24, UInt8(argument)])
        case 0x100...0xffff:
            output.append(type | 25)
            appendBigEndian(argument, byteCount: 2, to: &output)
        case 0x1_0000...0xffff_ffff:
            output.append(type | 26)
            appendBigEndian(argument, byteCount: 4, to: &output)
        default:
            output.append(type | 27)
            appendBigEndian(argument, byteCount: 8, to: &output)
        }
    }

    static func appendBigEndian(_ value: UInt64, byteCount: Int, to output: inout [UInt8]) {
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            output.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    static func appendFloat(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN {
            output.append(contentsOf: [0xf9, 0x7e, 0x00])
            return
        }
        if let half = halfBits(exactly: value) {
            output.append(0xf9)
            appendBigEndian(UInt64(half), byteCount: 2, to: &output)
            return
        }
        let single = Float(value)
        if Double(single) == value {
            output.append(0xfa)
            appendBigEndian(UInt64(single.bitPattern), byteCount: 4, to: &output)
            return
        }
        output.append(0xfb)
        appendBigEndian(value.bitPattern, byteCount: 8, to: &output)
    }

    /// The binary16 bit pattern of `value` when it is exactly representable as a half float.
    static func halfBits(exactly value: Double) -> UInt16? {
        let sign: UInt16 = value.sign == .minus ? 0x8000 : 0
        let magnitude = value.magnitude
        if magnitude == 0 { return sign }
        if magnitude.isInfinite { return sign | 0x7c00 }
        // Subnormal halves: multiples of 2^-24 below 2^-14.
        if magnitude < 0x1p-14 {
            let scaled = magnitude * 0x1p24
            guard scaled == scaled.rounded(), scaled >= 1 else { return nil }
            return sign | UInt16(scaled)
        }
        let exponent = magnitude.exponent
        guard exponent <= 15 else { return nil }
        let mantissa = (magnitude / Double(sign: .plus, exponent: exponent, significand: 1) - 1) * 1024
        guard mantissa == mantissa.rounded() else { return nil }
        return sign | UInt16(exponent + 15) << 10 | UInt16(mantissa)
    }
}
