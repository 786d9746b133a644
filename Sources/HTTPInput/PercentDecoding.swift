/// Percent-decoding shared by the form and path decoders.
enum PercentDecoding {
    /// The value of an ASCII hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `bytes` with `%XX` decoded (and `+` as a space when `plusIsSpace`).
    ///
    /// - Throws: ``HTTPInputError`` `bad_percent_escape`.
    static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) throws(HTTPInputError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else { throw HTTPInputError(.badPercentEscape, "A % must be followed by two hexadecimal digits.") }
                output.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                output.append(UInt8(ascii: " "))
            default:
                output.append(byte)
            }
        }
        return output
    }

    /// The UTF-8 text of `bytes`.
    ///
    /// - Throws: ``HTTPInputError`` `invalid_utf8`.
    static func text(_ bytes: [UInt8]) throws(HTTPInputError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw HTTPInputError(.invalidUTF8, "The text is not UTF-8.")
        }
        return text
    }

    /// Whether `scalar` is a C0 or C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }
}
