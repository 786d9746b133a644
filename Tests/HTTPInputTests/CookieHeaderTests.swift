import HTTPInput
import Testing

@Suite struct CookieHeaderTests {
    @Test func decodesPairs() throws {
        let cookies = try CookieHeader(["a=1; fidokit_session=abc_-; b=\"q\""])
        #expect(cookies["fidokit_session"] == "abc_-")
        #expect(cookies["b"] == "q")
        #expect(cookies["missing"] == nil)
    }

    @Test func everyHeaderIsRead() throws {
        #expect(try CookieHeader(["a=1", "fidokit_session=x"])["fidokit_session"] == "x")
    }

    @Test(arguments: ["", ";", ";;", "=", "=x", "novalue", "; ; =; a"]) func malformedPairsAreSkipped(_ header: String) throws {
        #expect(try CookieHeader([header]).cookies.isEmpty)
    }

    @Test func theFirstOfDuplicatesWins() throws {
        #expect(try CookieHeader(["s=first; s=second"])["s"] == "first")
    }

    @Test func emptyValuesAreKept() throws {
        #expect(try CookieHeader(["s="])["s"] == "")
    }

    @Test(arguments: ["s=a\u{0}b", "s=\u{1b}", "s\u{7f}=1"]) func controlCharactersAreRefused(_ header: String) {
        #expect(throws: HTTPInputError(.controlCharacter, "")) { try CookieHeader([header]) }
    }

    @Test func tooManyCookiesAreRefused() {
        let header = (0...CookieHeader.maximumCookieCount).map { "c\($0)=1" }.joined(separator: "; ")
        #expect(throws: HTTPInputError(.tooManyFields, "")) { try CookieHeader([header]) }
    }
}
