/// Base64url (RFC 4648 §5) coding of the binary fields in WebAuthn's JSON serialization.
///
/// Decoding accepts both the URL-safe and the standard alphabet, with or without `=` padding,
/// because clients and peer libraries emit all four; it rejects any other character, a lone
/// final character, and misplaced padding.
public enum Base64URL {
    /// Encodes bytes without padding.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
            output.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest == 1 {
            let chunk = UInt32(input[index]) << 16
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
        } else if rest == 2 {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base64url or base64 text, padded or not. Returns `nil` for anything malformed.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ Self.decode(bytes: $0) }) {
            return fast
        }
        return Array(text.utf8).withUnsafeBufferPointer { Self.decode(bytes: $0) }
    }

    /// Decodes base64url or base64 bytes, padded or not. Returns `nil` for anything malformed.
    public static func decode(bytes input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var end = input.count
        while end > 0 && input[end - 1] == UInt8(ascii: "=") {
            end -= 1
        }
        let paddingCount = input.count - end
        guard paddingCount <= 2, end % 4 != 1 else { return nil }
        if paddingCount > 0 && input.count % 4 != 0 { return nil }
        var output = [UInt8]()
        output.reserveCapacity(end * 3 / 4)
        var accumulator: UInt32 = 0
        var bits: UInt32 = 0
        for position in 0..<end {
            let value = Self.table[Int(input[position])]
            guard value != 0xff else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> bits))
            }
        }
        // Leftover bits of a final partial quantum are ignored, as browsers and peer libraries do.
        return output
    }

    /// Maps an ASCII byte to its 6-bit value in either alphabet; 0xff marks a byte that is not base64.
    private static let table: [UInt8] = (0..<256).map { Self.value(of: UInt8($0)) ?? 0xff }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"), UInt8(ascii: "+"): return 62
        case UInt8(ascii: "_"), UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
