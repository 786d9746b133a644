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
    func loggedAddresses(
        trusting ranges: [String],
        header: ClientAddressResolver.Header = .xForwardedFor,
        _ headerSets: [HTTPFields]
    ) async throws -> [String] {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        var configuration = harness.configuration
        configuration.trustedProxies = try ranges.map { try IPAddressRange($0) }
        configuration.forwardedHeader = header
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
                Self.json,
                Self.with("X-Forwarded-For", "not an address"),
            ]
        )
        #expect(addresses == ["198.51.100.7", Loopback.address, Loopback.address])
        let forwarded = try await self.loggedAddresses(
            trusting: [Loopback.range, "10.0.0.0/8", "2001:db8::/32"],
            header: .forwarded,
            [Self.with("Forwarded", "for=6.6.6.6, for=\"[2001:db9::7]:443\", for=\"[2001:db8::1]\"")]
        )
        #expect(forwarded == ["2001:db9::7"])
    }

    /// Outside report item 1: behind nginx (which writes X-Forwarded-For and passes a client's
    /// Forwarded through), a client's Forwarded does not pick its address; with
    /// `--forwarded-header forwarded`, a client's X-Forwarded-For does not either.
    @Test func theOtherForwardingHeaderIsIgnored() async throws {
        var both = Self.with("X-Forwarded-For", "203.0.113.9")
        both[HTTPField.Name("Forwarded")!] = "for=198.51.100.1"
        #expect(try await self.loggedAddresses(trusting: [Loopback.range], [both]) == ["203.0.113.9"])
        #expect(
            try await self.loggedAddresses(trusting: [Loopback.range], [Self.with("Forwarded", "for=198.51.100.1")])
                == [Loopback.address]
        )
        var reversed = Self.with("Forwarded", "for=203.0.113.9")
        reversed[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.1"
        #expect(try await self.loggedAddresses(trusting: [Loopback.range], header: .forwarded, [reversed]) == ["203.0.113.9"])
        #expect(
            try await self.loggedAddresses(
                trusting: [Loopback.range],
                header: .forwarded,
                [Self.with("X-Forwarded-For", "198.51.100.1")]
            ) == [Loopback.address]
        )
    }

    @Test func aPeerOutsideTheTrustedRangesIsNotBelieved() async throws {
        let addresses = try await self.loggedAddresses(
            trusting: ["10.0.0.0/8", Loopback.otherRange],
            [Self.with("X-Forwarded-For", "198.51.100.7")]
        )
        #expect(addresses == [Loopback.address])
    }
}
