import CBOR
import FIDOKitTestSupport
import Foundation
import Testing

/// RFC 8949 Appendix A: every example decodes to the RFC's diagnostic notation, and the
/// examples marked round-trippable encode back to the same bytes.
struct AppendixATests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var hex: String
        var roundtrip: Bool
        var diagnostic: String
        var testDescription: String { "\(self.hex) → \(self.diagnostic)" }
    }

    static let vectors: [Vector] = {
        let text = (try? String(contentsOf: FixturePath.url("cbor/rfc8949-appendix-a.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 3 else { return nil }
            return Vector(hex: String(columns[0]), roundtrip: columns[1] == "1", diagnostic: String(columns[2]))
        }
    }()

    @Test func allVectorsLoaded() {
        #expect(Self.vectors.count == 81)
    }

    @Test(arguments: AppendixATests.vectors)
    func decodesToDiagnostic(_ vector: Vector) throws {
        let value = try CBORDecoder(options: .lenient).decode([UInt8](hex: vector.hex))
        if case .float(let number) = value {
            switch vector.diagnostic {
            case "NaN": #expect(number.isNaN)
            case "Infinity": #expect(number == .infinity)
            case "-Infinity": #expect(number == -.infinity)
            default:
                let expected = try #require(Double(vector.diagnostic))
                #expect(number == expected)
                #expect(number.sign == expected.sign)
            }
        } else {
            #expect(value.description == vector.diagnostic)
        }
    }

    @Test(arguments: AppendixATests.vectors.filter(\.roundtrip))
    func encodesBack(_ vector: Vector) throws {
        let value = try CBORDecoder(options: .lenient).decode([UInt8](hex: vector.hex))
        #expect(CBOREncoder(canonical: false).encode(value).hex == vector.hex)
    }

    @Test(arguments: AppendixATests.vectors.filter(\.roundtrip))
    func strictModeAcceptsPreferredEncodings(_ vector: Vector) throws {
        #expect(throws: Never.self) { try CBORDecoder(options: .strict).decode([UInt8](hex: vector.hex)) }
    }

    @Test(arguments: AppendixATests.vectors.filter { !$0.roundtrip && $0.hex.contains("ff") && !$0.hex.hasPrefix("f") })
    func strictModeRejectsIndefiniteLengths(_ vector: Vector) {
        #expect(throws: CBORError(code: .indefiniteLength, offset: 0, reason: "")) {
            try CBORDecoder(options: .strict).decode([UInt8](hex: vector.hex))
        }
    }
}
