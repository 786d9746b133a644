import RecoveryCode
import Testing

/// Recovery codes: enough entropy, no look-alike symbols, readable groups, lenient typing.
struct RecoveryCodeTests {
    @Test func codesHaveAtLeast112BitsAndNoLookAlikes() {
        #expect(RecoveryCode.entropyBits >= 112)
        #expect(RecoveryCode.alphabet.count == 31)
        for symbol in "0O1IL" { #expect(!RecoveryCode.alphabet.contains(symbol)) }
        let codes = (0..<500).map { _ in RecoveryCode.generate() }
        #expect(Set(codes).count == 500)
        #expect(codes.allSatisfy { $0.symbols.count == 24 && $0.symbols.allSatisfy(RecoveryCode.alphabet.contains) })
        // Every symbol turns up: the draw covers the alphabet.
        #expect(Set(codes.flatMap(\.symbols)).count == 31)
    }

    @Test func codesShowInGroupsOfFour() throws {
        let code = try #require(RecoveryCode(typed: "ABCDEFGHJKMNPQRSTUVWXYZ2"))
        #expect(code.description == "ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2")
    }

    @Test func typedCodesAreNormalisedOrRefused() throws {
        let code = RecoveryCode.generate()
        #expect(RecoveryCode(typed: code.description) == code)
        #expect(RecoveryCode(typed: code.description.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
        #expect(RecoveryCode(typed: String(code.symbols.dropLast())) == nil)
        #expect(RecoveryCode(typed: String(code.symbols.dropLast()) + "0") == nil)
        #expect(RecoveryCode(typed: "") == nil)
    }
}
