import HTTPInput
import Testing

/// Round-3 report, item 8: a `Host` (or absolute target's authority) is `host[:port]` or refused.
@Suite struct RequestAuthorityTests {
    @Test(
        arguments: [
            ("localhost", "localhost", nil), ("LocalHost:8080", "localhost", 8_080), ("127.0.0.1:1", "127.0.0.1", 1),
            ("[::1]", "[::1]", nil), ("[::1]:65535", "[::1]", 65_535), ("[2001:DB8::1]:443", "[2001:db8::1]", 443),
            ("a-b.example.com", "a-b.example.com", nil), ("my_host.internal:80", "my_host.internal", 80),
            ("localhost.", "localhost.", nil),
        ] as [(String, String, Int?)]
    )
    func hostAndPortAreRead(_ text: String, _ host: String, _ port: Int?) throws {
        let authority = try RequestAuthority(text)
        #expect(authority.host == host)
        #expect(authority.port == port)
    }

    /// The tester's `localhost:99999` and `localhost:18200@evil.com`, and the rest of the class:
    /// ports out of range or not digits, user information, paths, second colons, bad brackets,
    /// escapes and sub-delimiters, dotted numbers that are no IPv4 address.
    @Test(arguments: [
        "", "localhost:99999", "localhost:18200@evil.com", "user@localhost", "localhost:0", "localhost:",
        "localhost:+80", "localhost:080080", "localhost:8080/x", "localhost/x", "localhost?x", "localhost#x",
        "a:b:c", "::1", "[::1", "[::1]x", "[::1]:", "[127.0.0.1]", "[fe80::1%eth0]", "[v1.x]", "ex ample.com",
        "ex%41mple.com", "example.com!", "a,b", "999.1.1.1", "1.2.3", "localhost:1:2", "é.example.com",
        String(repeating: "a", count: 261),
        // Round 4: empty and hyphen-edged labels.
        "..localhost", "-.localhost", ".localhost", "a..b", "-a.example.com", "a-.example.com", "localhost..",
        String(repeating: "a", count: 64) + ".com",
    ])
    func malformedHostsAreRefused(_ text: String) {
        #expect(throws: HTTPInputError(.badHost, "")) { try RequestAuthority(text) }
    }
}
