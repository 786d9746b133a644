import Foundation
import Testing

/// The real `mfa-server` binary, attacked over TCP as the testers did: a malformed form
/// from anyone leaves it running (issue 13, 2.1), and its new flags refuse bad values.
@Suite(.serialized) struct RealServerInputTests {
    /// Sends `request` to 127.0.0.1:`port` and returns the status line of the answer.
    static func statusLine(port: Int, _ request: String) -> String? {
        guard let descriptor = RealServer.connect(port: port) else { return nil }
        defer { close(descriptor) }
        _ = request.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\r\n").first.map(String.init)
    }

    static func post(_ path: String, _ body: String, type: String = "application/x-www-form-urlencoded") -> String {
        "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(body)"
    }

    @Test func malformedInputFromAnyoneLeavesTheServerRunning() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RealServer(arguments: ["--data-directory", data.path])
        defer { server.stop() }
        let port = server.port
        for body in ["=", "&=&", "a=%", "email=%ff", "csrf=%00"] {
            #expect(Self.statusLine(port: port, Self.post("/signin", body)) == "HTTP/1.1 400 Bad Request", "\(body)")
        }
        #expect(
            Self.statusLine(port: port, Self.post("//api/tenant/members", "{}", type: "text/plain"))
                == "HTTP/1.1 400 Bad Request"
        )
        #expect(
            Self.statusLine(port: port, "HEAD /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                == "HTTP/1.1 200 OK"
        )
        #expect(
            Self.statusLine(port: port, "PATCH /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                == "HTTP/1.1 405 Method Not Allowed"
        )
        #expect(server.process.isRunning)
        #expect(
            Self.statusLine(port: port, "GET /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                == "HTTP/1.1 200 OK"
        )
    }

    @Test(arguments: [
        ["--trusted-proxy", "10.0.0.0/33"], ["--trusted-proxy", "proxy.example.com"], ["--idle-timeout", "0"],
        // Host bits past the prefix: one proxy or the whole network? (round-2 report, 11)
        ["--trusted-proxy", "10.0.0.1/8"], ["--trusted-proxy", "2001:db8::1/32"],
        ["--header-timeout", "-1"], ["--sweep-interval", "-1"], ["--sweep-interval", "86401"],
    ])
    func badFlagValuesAreUsageErrors(_ arguments: [String]) throws {
        let (status, message) = try RealServer.exit(arguments + ["--port", "1"])
        #expect(status == 64)
        #expect(message.contains(arguments[0]))
    }
}
