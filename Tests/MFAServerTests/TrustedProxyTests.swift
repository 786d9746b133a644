import Foundation
import HTTPInput
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MFAServer
import Testing

/// `--trusted-proxy`: forwarding headers name the client only when the TCP peer is a trusted
/// proxy; otherwise the peer is the client address limits and logs use (issue 13, 2.9).
struct TrustedProxyTests {
    /// The client addresses the server logged for one failed sign-in per header set.
    func loggedAddresses(trusting ranges: [String], _ headerSets: [HTTPFields]) async throws -> [String] {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        var configuration = harness.configuration
        configuration.trustedProxies = try ranges.map { try IPAddressRange($0) }
        let lines = CapturingLogHandler.Lines()
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: configuration),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: .capturing(lines)
        )
        try await app.test(.live) { client in
            for headers in headerSets {
                let reply = try await client.raw(.post, "/api/session", headers: headers, body: "{}")
                #expect(reply.status == .forbidden)  // no CSRF token: a csrf_refused line with the address
            }
        }
        return lines.events("csrf_refused").compactMap { $0["client_address"] }
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    static func with(_ name: String, _ value: String) -> HTTPFields {
        var fields = Self.json
        fields[HTTPField.Name(name)!] = value
        return fields
    }

    @Test func withoutTrustedProxiesThePeerIsTheClient() async throws {
        let addresses = try await self.loggedAddresses(
            trusting: [],
            [Self.with("X-Forwarded-For", "198.51.100.7"), Self.with("Forwarded", "for=198.51.100.8")]
        )
        #expect(addresses == [Loopback.address, Loopback.address])
    }

    @Test func aTrustedPeerForwardsTheRightMostUntrustedAddress() async throws {
        let addresses = try await self.loggedAddresses(
            trusting: [Loopback.range, "10.0.0.0/8", "2001:db8::/32"],
            [
                Self.with("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.1.1.1"),
                Self.with("Forwarded", "for=6.6.6.6, for=\"[2001:db9::7]:443\", for=\"[2001:db8::1]\""),
                Self.json,
                Self.with("X-Forwarded-For", "not an address"),
            ]
        )
        #expect(addresses == ["198.51.100.7", "2001:db9::7", Loopback.address, Loopback.address])
    }

    @Test func aPeerOutsideTheTrustedRangesIsNotBelieved() async throws {
        let addresses = try await self.loggedAddresses(
            trusting: ["10.0.0.0/8", Loopback.otherRange],
            [Self.with("X-Forwarded-For", "198.51.100.7")]
        )
        #expect(addresses == [Loopback.address])
    }
}
