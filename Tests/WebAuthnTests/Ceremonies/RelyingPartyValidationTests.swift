import Testing
import WebAuthn

/// RP IDs are valid domain strings and origins are `https://host[:port]` (http only for
/// loopback hosts), as browsers require before a ceremony starts.
struct RelyingPartyValidationTests {
    @Test(arguments: [
        "example.com", "login.example.com", "localhost", "xn--exmple-cua.com", "a-b.example", "example",
        String(repeating: "a", count: 63) + ".com",
        Array(repeating: String(repeating: "a", count: 49), count: 5).joined(separator: "."),
    ])
    func validRPIDsPass(_ id: String) throws {
        try RelyingParty.validateID(id)
    }

    @Test(arguments: [
        "", "https://example.com", "not a domain", "exa_mple..com", String(repeating: "a", count: 300),
        "Example.com", "example.com:443", "example.com/", ".example.com", "example.com.", "-example.com",
        "example-.com", "192.168.0.1", "10.0.0.1", "[::1]", "exämple.com", String(repeating: "a", count: 64) + ".com",
        "user@example.com", "example.com\u{0}",
        Array(repeating: String(repeating: "a", count: 50), count: 5).joined(separator: "."),
    ])
    func invalidRPIDsAreRefused(_ id: String) {
        #expect(throws: WebAuthnError(.invalidRelyingPartyID, "")) { try RelyingParty.validateID(id) }
    }

    @Test(arguments: [
        "https://example.com", "https://login.example.com:8443", "http://localhost", "http://localhost:8080",
        "http://app.localhost:3000", "http://127.0.0.1:5000", "http://[::1]:8080", "https://localhost:44329",
        "android:apk-key-hash:gx7sq_pxhxhrIQdLyfG0pxKwiJ7hOk2DJQ4xvKd438Q",
    ])
    func validOriginsPass(_ origin: String) throws {
        try RelyingParty.validateOrigin(origin)
    }

    @Test(arguments: [
        "", "example.com", "http://example.com", "https://example.com/", "https://example.com/path",
        "https://example.com?q", "ftp://example.com", "https://Example.com", "https://example.com:0",
        "https://example.com:65536", "https://example.com:", "https://exa mple.com", "https://user@example.com",
        "android:apk-key-hash:", "android:apk-key-hash:not base64",
    ])
    func invalidOriginsAreRefused(_ origin: String) {
        #expect(throws: WebAuthnError(.invalidOrigin, "")) { try RelyingParty.validateOrigin(origin) }
    }

    @Test func anOriginMayUseItsDomainOrAParent() throws {
        let origin = try RelyingParty.parseWebOrigin("https://login.example.com:8443")
        #expect(origin.host == "login.example.com" && origin.port == 8443)
        #expect(RelyingParty.origin(origin, mayUse: "example.com"))
        #expect(RelyingParty.origin(origin, mayUse: "login.example.com"))
        #expect(!RelyingParty.origin(origin, mayUse: "ample.com"))
        #expect(!RelyingParty.origin(origin, mayUse: "other.example.com"))
    }
}
