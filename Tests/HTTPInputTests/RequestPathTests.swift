import HTTPInput
import Testing

@Suite struct RequestPathTests {
    @Test(arguments: [
        ("/", "/"), ("/api/tenant/members", "/api/tenant/members"), ("//api/tenant/members", "/api/tenant/members"),
        ("/api//tenant/members", "/api/tenant/members"), ("/api/tenant/members/", "/api/tenant/members"),
        ("///", "/"), ("/API/Tenant", "/API/Tenant"), ("/a%20b", "/a%20b"),
    ])
    func spellingsAreCanonicalised(_ raw: String, _ canonical: String) throws {
        let path = try RequestPath(raw)
        #expect(path.canonical == canonical)
        #expect(path.wasCanonical == (raw == canonical))
    }

    @Test(arguments: ["/./api/tenant/members", "/api/x/../tenant/members", "/..", "/api/.", "/api/tenant/members/.."])
    func dotSegmentsAreRefused(_ raw: String) {
        #expect(throws: HTTPInputError(.dotSegment, "")) { try RequestPath(raw) }
    }

    @Test(arguments: [
        "/api%2Ftenant/members", "/api%2ftenant", "/%2e%2e/api", "/%2E/api", "/api/a%5Cb", "/a%00", "/a%0A", "/a%7F",
    ])
    func encodedSeparatorsAreRefused(_ raw: String) {
        #expect(throws: HTTPInputError(.encodedSeparator, "")) { try RequestPath(raw) }
    }

    @Test(arguments: [
        "", "api", "*", "http://x/api", "/a b", "/a\\b", "/a\u{0}", "/é", "/api/csrf#frag", "/api/session#",
    ]) func badPathsAreRefused(_ raw: String) {
        #expect(throws: HTTPInputError(.badPath, "")) { try RequestPath(raw) }
    }

    @Test(arguments: ["/%", "/a%2", "/a%zz"]) func badEscapesAreRefused(_ raw: String) {
        #expect(throws: HTTPInputError(.badPercentEscape, "")) { try RequestPath(raw) }
    }

    @Test func longPathsAreRefused() {
        #expect(throws: HTTPInputError(.badPath, "")) { try RequestPath("/" + String(repeating: "a", count: 4_096)) }
    }
}
