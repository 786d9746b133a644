import CBOR
import FIDOKitTestSupport
import Testing

/// The strict decoder's checks, each with an input that trips exactly that check.
struct CBORDecoderTests {
    let strict = CBORDecoder(options: .strict)
    let canonical = CBORDecoder(options: .ctap2Canonical)

    func code(_ hex: String, _ decoder: CBORDecoder) -> CBORError.Code? {
        do {
            _ = try decoder.decode([UInt8](hex: hex))
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: ["1817", "190017", "1a00000017", "1b0000000000000017", "3817", "5800", "d81701", "790000"])
    func nonShortestFormsAreNonCanonical(_ hex: String) {
        #expect(self.code(hex, self.strict) == .nonCanonical)
        #expect(throws: Never.self) { try CBORDecoder(options: .lenient).decode([UInt8](hex: hex)) }
    }

    @Test func truncationReportsTheOffset() throws {
        // [1, 1000] cut inside the second element's argument.
        let error = try #require(throws: CBORError.self) { try strict.decode([UInt8](hex: "82011903")) }
        #expect(error.code == .truncated)
        #expect(error.offset == 4)
    }

    @Test(arguments: ["19", "1a0000", "42aa", "62c3", "a20102", "8201"])
    func truncatedInputsThrow(_ hex: String) {
        let code = self.code(hex, self.strict)
        #expect(code == .truncated || code == .lengthExceedsInput)
    }

    @Test func hugeDeclaredLengthsFailBeforeAllocating() {
        // 5 bytes that claim a 4 GB byte string, an array of 2^64-1 items and a map of 2^32-1 entries.
        #expect(self.code("5affffffff", self.strict) == .lengthExceedsInput)
        #expect(self.code("9bffffffffffffffff00", self.strict) == .lengthExceedsInput)
        #expect(self.code("baffffffff0000", self.strict) == .lengthExceedsInput)
    }

    @Test func duplicateKeysAreRejectedInEveryMode() {
        #expect(self.code("a201020103", self.strict) == .duplicateKey)
        #expect(self.code("a201020103", CBORDecoder(options: .lenient)) == .duplicateKey)
        #expect(self.code("a2616101616102", self.strict) == .duplicateKey)
        #expect(self.code("a201020103", self.canonical) == .duplicateKey)
    }

    @Test func canonicalOrderIsEnforcedOnlyWhenAsked() {
        // {3: 0, 1: 0} and {-1: 0, 1: 0}: out of CTAP2 order.
        #expect(self.code("a203000100", self.canonical) == .mapKeyOrder)
        #expect(self.code("a220000100", self.canonical) == .mapKeyOrder)
        #expect(self.code("a203000100", self.strict) == nil)
        // A COSE key in canonical order: {1: 2, 3: -7, -1: 1}.
        #expect(self.code("a3010203262001", self.canonical) == nil)
        // Text keys: shorter first, then bytewise ("fmt" < "attStmt" < "authData").
        #expect(self.code("a2626262006161" + "00", self.canonical) == .mapKeyOrder)
    }

    @Test func invalidUTF8IsRejected() {
        #expect(self.code("62c328", self.strict) == .invalidUTF8)
        #expect(self.code("61ff", self.strict) == .invalidUTF8)
    }

    @Test func nestingDepthIsLimited() {
        let deep = String(repeating: "81", count: 17) + "00"
        #expect(self.code(deep, self.strict) == .depthLimitExceeded)
        let ok = String(repeating: "81", count: 16) + "00"
        #expect(self.code(ok, self.strict) == nil)
        let tags = String(repeating: "c1", count: 40) + "00"
        #expect(self.code(tags, self.strict) == .depthLimitExceeded)
    }

    /// A caller asking for a huge depth still gets the ceiling: a million nested arrays from
    /// outside would otherwise recurse until the stack overflows.
    @Test func aCallersDepthIsClampedToTheCeiling() {
        var options = CBORDecoder.Options.lenient
        options.maxDepth = Int.max
        #expect(options.maxDepth == CBORDecoder.Options.depthCeiling)
        let decoder = CBORDecoder(options: options)
        let deep = String(repeating: "81", count: 1_000_000) + "00"
        #expect(self.code(deep, decoder) == .depthLimitExceeded)
        let ok = String(repeating: "81", count: CBORDecoder.Options.depthCeiling) + "00"
        #expect(self.code(ok, decoder) == nil)
        options.maxDepth = -5
        #expect(options.maxDepth == 1)
    }

    @Test func malformedEncodingsAreRejected() {
        #expect(self.code("1c", self.strict) == .malformed)  // reserved additional information
        #expect(self.code("ff", CBORDecoder(options: .lenient)) == .malformed)  // break outside
        #expect(self.code("f801", self.strict) == .malformed)  // simple value < 32 in two bytes
        #expect(self.code("5f4101ff", self.strict) == .indefiniteLength)
        #expect(self.code("5f6101ff", CBORDecoder(options: .lenient)) == .malformed)  // text chunk in bytes
        #expect(self.code("1f", CBORDecoder(options: .lenient)) == .malformed)  // indefinite integer
    }

    @Test func decodePrefixReportsBytesUsed() throws {
        let bytes = [UInt8](hex: "a3010203262001" + "a16474657374f5")
        let (value, used) = try strict.decodePrefix(bytes)
        #expect(used == 7)
        #expect(value.mapValue?[3] == CBORValue(-7))
        let (rest, restUsed) = try strict.decodePrefix(bytes[used...])
        #expect(restUsed == 7)
        #expect(rest.mapValue?["test"] == .boolean(true))
    }

    @Test func trailingBytesAreRejectedByDecode() {
        #expect(self.code("0000", self.strict) == .trailingBytes)
    }

    @Test func randomInputNeverCrashes() {
        var generator = SplitMix64(seed: 0xC0FFEE)
        var rejected = 0
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 24)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for options in [CBORDecoder.Options.strict, .ctap2Canonical, .lenient] {
                do {
                    let value = try CBORDecoder(options: options).decode(bytes)
                    // Whatever decodes must encode and decode to the same value.
                    let again = try CBORDecoder(options: .lenient).decode(CBOREncoder(canonical: false).encode(value))
                    #expect(again == value || again.description == value.description)
                } catch {
                    rejected += 1
                }
            }
        }
        #expect(rejected > 0)
    }
}
