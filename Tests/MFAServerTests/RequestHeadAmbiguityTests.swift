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

    /// Sends `request` and returns the answer's status line and error code.
    static func answer(port: Int, _ request: String) -> (status: String, code: String?) {
        guard let descriptor = RealServer.connect(port: port) else { return ("", nil) }
        defer { close(descriptor) }
        RealServerStartupTests.send(descriptor, request)
        let text = RealServerStartupTests.receive(descriptor)
        let status = text.split(separator: "\r\n").first.map(String.init) ?? ""
        let body = Data((text.components(separatedBy: "\r\n\r\n").dropFirst().first ?? "").utf8)
        let error = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["error"] as? [String: Any]
        return (status, error?["code"] as? String)
    }

    /// Round-3 report, item 8: only `http:`/`https:` absolute targets; a `Host` that is not
    /// `host[:port]` is 400 `bad_host`; a `#` anywhere in the target is 400 `bad_target` for
    /// every method and route; a head without `Host` (HTTP/1.0 too) is told the host is needed
    /// for the origin check, not that HTTP/1.1 needs it.
    @Test func targetsAndHostsThatAreNotHTTPAreRefusedOverTCP() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("targets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RealServer(arguments: ["--data-directory", data.path])
        defer { server.stop() }
        let port = server.port
        func head(_ method: String, _ target: String, host: String? = "localhost") -> String {
            "\(method) \(target) HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n"
        }
        let refused: [(String, String)] = [
            (head("GET", "ftp://localhost:\(port)/api/csrf"), "bad_target"),
            (head("GET", "FTP://localhost/api/csrf"), "bad_target"),
            (head("GET", "ws://localhost/api/csrf"), "bad_target"),
            (head("GET", "https://user@localhost/api/csrf"), "bad_target"),
            (head("GET", "http:///api/csrf"), "bad_target"),
            (head("GET", "/api/csrf", host: "localhost:99999"), "bad_host"),
            (head("GET", "/api/csrf", host: "localhost:18200@evil.com"), "bad_host"),
            (head("GET", "/api/csrf", host: "localhost:0"), "bad_host"),
            (head("GET", "/api/csrf", host: "localhost/x"), "bad_host"),
            (head("GET", "/api/csrf", host: "local host"), "bad_host"),
            (head("GET", "/api/csrf", host: "[::1"), "bad_host"),
            (head("GET", "/api/csrf", host: ""), "bad_host"),
            (head("GET", "http://localhost:99999/api/csrf"), "bad_host"),
            (head("GET", "/api/csrf#frag"), "bad_target"),
            (head("DELETE", "/api/session#"), "bad_target"),
            (head("POST", "/api/session#x"), "bad_target"),
            (head("GET", "/signin#"), "bad_target"),
            (head("GET", "/nowhere#x"), "bad_target"),
            (head("GET", "http://localhost/api/csrf#x"), "bad_target"),
            (head("GET", "/api/csrf?a=b#c"), "bad_target"),
            (head("GET", "/api/csrf", host: nil), "missing_host"),
            ("GET /api/csrf HTTP/1.0\r\nConnection: close\r\n\r\n", "missing_host"),
        ]
        for (request, code) in refused {
            let (status, answered) = Self.answer(port: port, request)
            #expect(status == "HTTP/1.1 400 Bad Request" && answered == code, "\(request.prefix(60)): \(status) \(answered ?? "")")
        }
        // The marker the server sets is its own: a client's copy changes nothing.
        let forged = "GET /api/csrf HTTP/1.1\r\nHost: localhost\r\nFIDOKit-Refused-Target: x\r\nConnection: close\r\n\r\n"
        #expect(Self.answer(port: port, forged).status == "HTTP/1.1 200 OK")
        for (request, status) in [
            (head("GET", "/api/csrf", host: "localhost:\(port)"), "HTTP/1.1 200 OK"),
            (head("GET", "/api/csrf", host: "[::1]:\(port)"), "HTTP/1.1 200 OK"),
            (head("GET", "/api/csrf", host: "LOCALHOST"), "HTTP/1.1 200 OK"),
            (head("GET", "HTTP://localhost:\(port)/api/csrf"), "HTTP/1.1 200 OK"),
            (head("GET", "/api/csrf", host: "evil.com:80"), "HTTP/1.1 421 Misdirected Request"),
        ] {
            #expect(Self.answer(port: port, request).status == status, "\(request.prefix(60))")
        }
        let missing = Self.answer(port: port, "GET /api/csrf HTTP/1.0\r\nConnection: close\r\n\r\n")
        #expect(missing.code == "missing_host")
        guard let descriptor = RealServer.connect(port: port) else { return }
        defer { close(descriptor) }
        RealServerStartupTests.send(descriptor, "GET /api/csrf HTTP/1.0\r\nConnection: close\r\n\r\n")
        let text = RealServerStartupTests.receive(descriptor)
        #expect(!text.contains("HTTP/1.1 request") && text.contains("origins"), "\(text)")
        #expect(server.process.isRunning)
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
