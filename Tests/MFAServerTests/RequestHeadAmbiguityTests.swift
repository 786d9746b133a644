import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Round-2 report, items 7, 8 and 10: a request whose head or body means two things is refused,
/// not read one way: two Host headers (400, either order), two session cookies (400), a JSON
/// body repeating a member name (400); and a declared body over the limit is answered 413 from
/// the header, without waiting for the body.
@Suite(.serialized) struct RequestHeadAmbiguityTests {
    @Test func ambiguousHeadsAreRefusedOverTCP() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RealServer(arguments: ["--data-directory", data.path])
        defer { server.stop() }
        let port = server.port
        for hosts in [["localhost", "evil.com"], ["evil.com", "localhost"], ["localhost", "localhost"]] {
            let request =
                "GET /api/csrf HTTP/1.1\r\n" + hosts.map { "Host: \($0)\r\n" }.joined() + "Connection: close\r\n\r\n"
            #expect(RealServerInputTests.statusLine(port: port, request) == "HTTP/1.1 400 Bad Request", "\(hosts)")
        }
        // An absolute-form target names the host (RFC 9112 §3.2.2), whatever Host says.
        for (target, status) in [
            ("http://evil.com/api/csrf", "421 Misdirected Request"),
            ("http://EVIL.com:\(port)/api/csrf", "421 Misdirected Request"),
            ("https://user@localhost/api/csrf", "400 Bad Request"),
            ("http:///api/csrf", "400 Bad Request"),
            ("http://localhost:\(port)/api/csrf", "200 OK"),
        ] {
            let request = "GET \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            #expect(RealServerInputTests.statusLine(port: port, request) == "HTTP/1.1 \(status)", "\(target)")
        }
        #expect(
            RealServerInputTests.statusLine(
                port: port,
                "GET http://localhost/api/csrf HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n"
            ) == "HTTP/1.1 200 OK"
        )
        let cookies =
            "GET /api/csrf HTTP/1.1\r\nHost: localhost\r\nCookie: fidokit_session=a; fidokit_session=b\r\n"
            + "Connection: close\r\n\r\n"
        #expect(RealServerInputTests.statusLine(port: port, cookies) == "HTTP/1.1 400 Bad Request")
        // No body follows: the answer comes from the header, well before the 10 s body timeout.
        let started = Date()
        let large =
            "POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100000\r\n\r\n"
        #expect(RealServerInputTests.statusLine(port: port, large) == "HTTP/1.1 413 Payload Too Large")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(
            RealServerInputTests.statusLine(
                port: port,
                "GET /api/csrf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            ) == "HTTP/1.1 200 OK"
        )
    }

    @Test func aJSONBodyRepeatingAMemberIsRefused() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.start()
            let body = Data(
                #"{"email":"\#(ServerHarness.adminEmail)","email":"b@example.com","password":"\#(ServerHarness.adminPassword)"}"#
                    .utf8
            )
            let reply = try await browser.send(.post, "/api/session", body: body)
            #expect(reply.status == .badRequest)
            let once = Data(#"{"email":"\#(ServerHarness.adminEmail)","password":"\#(ServerHarness.adminPassword)"}"#.utf8)
            #expect(try await browser.send(.post, "/api/session", body: once).status == .ok)
        }
    }
}
