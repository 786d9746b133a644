import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--idle-timeout`: a connection that sends nothing, or stops partway through its request
/// headers, is closed (issue 13, 2.9).
struct IdleTimeoutTests {
    /// Connects to the live server's `port`, sends `bytes`, and returns how many seconds pass
    /// until the server closes the connection (`nil`: still open after 10 s).
    static func secondsUntilClosed(port: Int, sending bytes: String) -> Double? {
        let descriptor = Loopback.connect(port: port)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if !bytes.isEmpty { _ = bytes.withCString { send(descriptor, $0, strlen($0), 0) } }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return Date().timeIntervalSince(start) }  // closed by the server
            if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : Date().timeIntervalSince(start) }
        }
    }

    /// Runs `test` against a live server on 127.0.0.1 whose configuration `configure` changed.
    static func live(
        _ configure: (inout ServerConfiguration) -> Void,
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        var configuration = harness.configuration
        configure(&configuration)
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: configuration),
            server: MFAServerApp.server(configuration),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live, test)
    }

    @Test func silentAndStalledConnectionsAreClosed() async throws {
        try await Self.live({ $0.idleTimeout = 0.5 }) { client in
            // (The test client's own connection would be closed too while it waits; raw sockets only.)
            let port = try #require(client.port)
            let silent = try #require(Self.secondsUntilClosed(port: port, sending: ""))
            #expect(silent < 5)
            let stalled = try #require(Self.secondsUntilClosed(port: port, sending: "GET /signin HTTP/1.1\r\nHost: x\r\n"))
            #expect(stalled < 5)
        }
    }

    /// A request head dribbled one byte every 0.3 s, with a 30 s idle timeout: the 1 s header
    /// deadline closes the connection.
    @Test func aSlowlyDribbledRequestHeadIsCutOff() async throws {
        try await Self.live({
            $0.idleTimeout = 30
            $0.headerTimeout = 1
        }) { client in
            let port = try #require(client.port)
            let descriptor = Loopback.connect(port: port)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            signal(SIGPIPE, SIG_IGN)
            let start = Date()
            var closedAfter: Double?
            for byte in "GET /signin HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                var value = byte
                if send(descriptor, &value, 1, Int32(MSG_NOSIGNAL)) < 0 {
                    closedAfter = Date().timeIntervalSince(start)
                    break
                }
                var probe: UInt8 = 0
                if recv(descriptor, &probe, 1, Int32(MSG_DONTWAIT)) == 0 {
                    closedAfter = Date().timeIntervalSince(start)
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
            }
            let seconds = try #require(closedAfter, "the dribbling connection stayed open")
            #expect(seconds < 5)
        }
    }

    @Test func theDefaultsAreThirtyAndTenSeconds() {
        #expect(ServerConfiguration().idleTimeout == 30)
        #expect(ServerConfiguration().headerTimeout == 10)
    }
}
