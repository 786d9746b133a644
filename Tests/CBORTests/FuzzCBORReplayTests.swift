import CBOR
import FIDOKitTestSupport
import Testing

/// FuzzTesting's FuzzCBOR inputs (regression fixtures and seeds), through the same checks as the
/// fuzz target: canonical ⊂ strict ⊂ lenient, strict input re-encodes to itself, and whatever
/// decodes survives encoding.
struct FuzzCBORReplayTests {
    @Test func everyFuzzInputKeepsTheDecoderPromises() throws {
        let inputs = FuzzCases.inputs("FuzzCBOR")
        #expect(!inputs.isEmpty)
        for (name, bytes) in inputs {
            let canonical = try? CBORDecoder(options: .ctap2Canonical).decode(bytes)
            let strict = try? CBORDecoder(options: .strict).decode(bytes)
            let lenient = try? CBORDecoder(options: .lenient).decode(bytes)
            if let canonical {
                #expect(strict.map { Self.same($0, canonical) } == true, "\(name)")
                if !Self.hasFloat(canonical) { #expect(CBOREncoder(canonical: true).encode(canonical) == bytes, "\(name)") }
            }
            if let strict {
                #expect(lenient.map { Self.same($0, strict) } == true, "\(name)")
                if !Self.hasFloat(strict) { #expect(CBOREncoder(canonical: false).encode(strict) == bytes, "\(name)") }
            }
            if let lenient {
                let again = try CBORDecoder(options: .strict).decode(CBOREncoder(canonical: false).encode(lenient))
                #expect(Self.same(again, lenient), "\(name)")
            }
        }
    }

    static func same(_ lhs: CBORValue, _ rhs: CBORValue) -> Bool {
        lhs == rhs || lhs.description == rhs.description
    }

    static func hasFloat(_ value: CBORValue) -> Bool {
        switch value {
        case .float: return true
        case .array(let elements): return elements.contains(where: hasFloat)
        case .map(let map): return map.entries.contains { hasFloat($0.key) || hasFloat($0.value) }
        case .tagged(_, let content): return hasFloat(content)
        default: return false
        }
    }
}
