import CBOR
import FIDOKitTestSupport
import Glibc
import Testing

/// Duplicate map keys: which keys count as the same (equal as values, in every mode), and that
/// finding them costs time linear in the number of keys.
struct DuplicateKeyTests {
    func code(_ hex: String, _ options: CBORDecoder.Options = .strict) -> CBORError.Code? {
        do {
            _ = try CBORDecoder(options: options).decode([UInt8](hex: hex))
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [
        ("a2f9000000f9800000", "0.0 and -0.0"),
        ("a2f93c0000fa3f80000000", "1.0 as a half and as a single float"),
        ("a262c3a9006365cc8100", "é precomposed and decomposed (canonically equivalent text)"),
        ("a28201020082010200", "[1, 2] twice"),
        ("a2a1010200a1010200", "{1: 2} twice"),
        ("a2c10100c10100", "tag 1 of 1 twice"),
    ])
    func keysEqualAsValuesAreDuplicates(_ hex: String, _ what: String) {
        #expect(self.code(hex) == .duplicateKey, "\(what)")
        #expect(self.code(hex, .lenient) == .duplicateKey, "\(what)")
    }

    @Test func lenientFormsOfOneKeyAreDuplicates() {
        // {1: 0, 1 (in two bytes): 0} and {"a": 0, "a" (indefinite): 0}.
        #expect(self.code("a20100180100", .lenient) == .duplicateKey)
        #expect(self.code("a2616100" + "7f6161ff" + "00", .lenient) == .duplicateKey)
    }

    @Test func keysHoldingANaNEqualNoKey() {
        // NaN is equal to nothing, NaN included: {NaN: 0, NaN: 0} and {[NaN]: 0, [NaN]: 0} have
        // two different keys, as `==` says.
        #expect(self.code("a2f97e0000f97e0000") == nil)
        #expect(self.code("a281f97e000081f97e0000") == nil)
        #expect(self.code("a2a1f97e0000" + "00" + "a1f97e0000" + "00") == nil)
    }

    @Test func aDuplicateAtTheEndOfALargeMapIsFoundWhereItIs() throws {
        let count = 12_000
        var bytes = CBORSample.head(major: 5, count)
        for index in 0..<(count - 1) {
            bytes += CBORSample.textKey(index) + [0x00]
        }
        let last = bytes.count
        bytes += CBORSample.textKey(count / 2) + [0x00]
        let error = try #require(throws: CBORError.self) { try CBORDecoder(options: .strict).decode(bytes) }
        #expect(error.code == .duplicateKey)
        #expect(error.offset == last)
    }

    /// The regression test for the quadratic scan: decoding 8× the keys must take about 8× the
    /// CPU time, not 64×. The bound (24×) sits between the two, so a busy machine cannot make a
    /// linear decoder fail, and each size keeps its fastest of a few runs.
    @Test(arguments: [
        (CBORSample.KeyShape.text, CBORDecoder.Options.strict),
        (.integer, .ctap2Canonical),
        (.nan, .lenient),
    ])
    func decodingTimeGrowsLinearlyWithTheKeyCount(_ key: CBORSample.KeyShape, _ options: CBORDecoder.Options) throws {
        let decoder = CBORDecoder(options: options)
        let small = CBORSample.map(count: 1_500, key: key.bytes)
        let large = CBORSample.map(count: 12_000, key: key.bytes)
        var fastestSmall = UInt64.max
        var fastestLarge = UInt64.max
        for _ in 0..<5 {
            fastestSmall = min(fastestSmall, try Self.cpuNanoseconds { _ = try decoder.decode(small) })
            fastestLarge = min(fastestLarge, try Self.cpuNanoseconds { _ = try decoder.decode(large) })
            if fastestLarge < 24 * fastestSmall { break }
        }
        let ratio = Double(fastestLarge) / Double(max(fastestSmall, 1))
        #expect(ratio < 24, "\(key): 12,000 keys took \(ratio)× the time of 1,500")
    }

    /// The CPU time this thread spends in `body`.
    static func cpuNanoseconds(_ body: () throws -> Void) throws -> UInt64 {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        let nanoseconds = (end.tv_sec - start.tv_sec) * 1_000_000_000 + (end.tv_nsec - start.tv_nsec)
        return UInt64(max(nanoseconds, 0))
    }
}

/// Large maps written byte by byte (``CBORMap``'s initialiser compares each key with the others).
enum CBORSample {
    /// The keys of a sample map.
    enum KeyShape: Sendable {
        case text, integer, nan

        func bytes(_ index: Int) -> [UInt8] {
            switch self {
            case .text: CBORSample.textKey(index)
            case .integer: CBORSample.integerKey(index)
            case .nan: [0xf9, 0x7e, 0x00]
            }
        }
    }

    /// A definite-length map of `count` entries, keys `key(index)` in index order, values 0.
    static func map(count: Int, key: (Int) -> [UInt8]) -> [UInt8] {
        var bytes = self.head(major: 5, count)
        for index in 0..<count {
            bytes += key(index) + [0x00]
        }
        return bytes
    }

    /// `"k<index>"` with five digits, so every key has the same length.
    static func textKey(_ index: Int) -> [UInt8] {
        let digits = String(index)
        let text = "k" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        return self.head(major: 3, text.utf8.count) + Array(text.utf8)
    }

    /// The unsigned integer `index`.
    static func integerKey(_ index: Int) -> [UInt8] {
        self.head(major: 0, index)
    }

    /// A shortest-form head, for arguments under 2¹⁶.
    static func head(major: UInt8, _ argument: Int) -> [UInt8] {
        let type = major << 5
        switch argument {
        case 0..<24: return [type | UInt8(argument)]
        case 24...0xff: return [type | 24, UInt8(argument)]
        default: return [type | 25, UInt8(truncatingIfNeeded: argument >> 8), UInt8(truncatingIfNeeded: argument)]
        }
    }
}
