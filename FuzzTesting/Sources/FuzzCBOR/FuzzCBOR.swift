import CBOR
import FuzzCommon

/// libFuzzer's entry: decodes the input in every mode and checks what the modes promise.
///
/// - canonical ⊂ strict ⊂ lenient: what a stricter mode accepts, a laxer one accepts as the same
///   value;
/// - strict input is definite and shortest, so re-encoding it (float-free, key order kept) gives
///   the input back, and canonical input re-encodes identically with the keys sorted;
/// - whatever decodes re-encodes to bytes that decode (strictly) to an equal value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCBOR(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        let canonical = try? CBORDecoder(options: .ctap2Canonical).decode(bytes)
        let strict = try? CBORDecoder(options: .strict).decode(bytes)
        let lenient = try? CBORDecoder(options: .lenient).decode(bytes)
        if let canonical {
            guard let strict, same(strict, canonical) else { fatalError("ctap2Canonical accepted what strict refused") }
            if !hasFloat(canonical) {
                guard CBOREncoder(canonical: true).encode(canonical) == bytes else {
                    fatalError("canonical input does not re-encode to itself")
                }
            }
        }
        if let strict {
            guard let lenient, same(lenient, strict) else { fatalError("strict accepted what lenient refused") }
            if !hasFloat(strict) {
                guard CBOREncoder(canonical: false).encode(strict) == bytes else {
                    fatalError("strict input does not re-encode to itself")
                }
            }
        }
        if let lenient {
            let encoded = CBOREncoder(canonical: false).encode(lenient)
            guard let again = try? CBORDecoder(options: .strict).decode(encoded), same(again, lenient) else {
                fatalError("a decoded value does not survive encoding")
            }
            _ = lenient.description
        }
    }
}

/// Equal values, NaN included (NaN is unequal to itself, so compare the diagnostic text then).
func same(_ lhs: CBORValue, _ rhs: CBORValue) -> Bool {
    lhs == rhs || lhs.description == rhs.description
}

/// Whether the value holds a float anywhere (floats re-encode in their shortest form).
func hasFloat(_ value: CBORValue) -> Bool {
    switch value {
    case .float: return true
    case .array(let elements): return elements.contains(where: hasFloat)
    case .map(let map): return map.entries.contains { hasFloat($0.key) || hasFloat($0.value) }
    case .tagged(_, let content): return hasFloat(content)
    default: return false
    }
}
