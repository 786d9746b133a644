/// Inputs for the benchmarks, written byte by byte (``CBORMap``'s initialiser checks every key
/// against the others, which would dominate building a 12,000-key map).
enum CBORSamples {
    /// A definite-length map of `count` entries whose keys are `key(index)` in index order and
    /// whose values are 0.
    static func map(count: Int, key: (Int) -> [UInt8]) -> [UInt8] {
        var bytes = head(major: 5, count)
        for index in 0..<count {
            bytes += key(index)
            bytes.append(0x00)
        }
        return bytes
    }

    /// `"k<index>"`, zero-padded to five digits so that every key has the same length.
    static func textKey(_ index: Int) -> [UInt8] {
        let digits = String(index)
        let text = "k" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        return head(major: 3, text.utf8.count) + Array(text.utf8)
    }

    /// The unsigned integer `index`, in canonical order when the indices ascend.
    static func integerKey(_ index: Int) -> [UInt8] {
        head(major: 0, index)
    }

    /// An indefinite-length byte string of `chunks` one-byte chunks.
    static func indefiniteByteString(chunks: Int) -> [UInt8] {
        [0x5f] + Array(repeating: [0x41, 0xaa], count: chunks).joined() + [0xff]
    }

    /// A head in its shortest form, for arguments under 2³².
    static func head(major: UInt8, _ argument: Int) -> [UInt8] {
        let type = major << 5
        switch argument {
        case 0..<24: return [type | UInt8(argument)]
        case 24...0xff: return [type | 24, UInt8(argument)]
        case 0x100...0xffff: return [type | 25, UInt8(argument >> 8), UInt8(argument & 0xff)]
        default:
            return [type | 26] + [24, 16, 8, 0].map { UInt8((argument >> $0) & 0xff) }
        }
    }
}
