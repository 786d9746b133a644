import HTTPInput
import Testing

@Suite struct ClientAddressResolverTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("::1", "::1"), ("::", "::"),
        ("::ffff:192.0.2.1", "192.0.2.1"), ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func addressesHaveOneSpelling(_ text: String, _ spelled: String) throws {
        #expect(try IPAddress(text).description == spelled)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "unknown", "_hidden", "1::2::3", ":::",
        "12345::", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::g",
    ])
    func badAddressesAreRefused(_ text: String) {
        #expect(throws: HTTPInputError(.badAddress, "")) { try IPAddress(text) }
    }

    @Test func rangesContainTheirAddresses() throws {
        let v4 = try IPAddressRange("10.1.2.3/8")
        #expect(v4.description == "10.0.0.0/8")
        #expect(v4.contains(try IPAddress("10.255.0.1")))
        #expect(!v4.contains(try IPAddress("11.0.0.1")))
        let v6 = try IPAddressRange("2001:db8::/32")
        #expect(v6.contains(try IPAddress("2001:db8:ffff::1")))
        #expect(!v6.contains(try IPAddress("2001:db9::1")))
        #expect(!v6.contains(try IPAddress("10.0.0.1")))
        #expect(try IPAddressRange("::1").contains(try IPAddress("::1")))
        #expect(try IPAddressRange("0.0.0.0/0").contains(try IPAddress("203.0.113.9")))
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "::/129", "10.0.0.0/8/8", "/8", "10.0.0.0/08x"] {
            #expect(throws: HTTPInputError.self) { try IPAddressRange(bad) }
        }
    }

    let resolver: ClientAddressResolver

    init() throws {
        self.resolver = ClientAddressResolver(trustedProxies: [
            try IPAddressRange("10.0.0.0/8"), try IPAddressRange("2001:db8::/32"),
        ])
        self.forwardedResolver = ClientAddressResolver(trustedProxies: self.resolver.trustedProxies, header: .forwarded)
    }

    /// The same proxies, writing `Forwarded` (`--forwarded-header forwarded`).
    let forwardedResolver: ClientAddressResolver

    /// Issue 13 outside report, item 1: a proxy that writes X-Forwarded-For passes a client's
    /// own `Forwarded` through, so only the configured header is read, the other ignored.
    @Test func onlyTheConfiguredHeaderIsRead() {
        // X-Forwarded-For configured (the default): a client's Forwarded picks nothing.
        #expect(
            self.resolver.clientAddress(peer: "10.0.0.1", forwarded: ["for=198.51.100.1"], forwardedFor: ["203.0.113.9"])
                == "203.0.113.9"
        )
        #expect(self.resolver.clientAddress(peer: "10.0.0.1", forwarded: ["for=198.51.100.1"], forwardedFor: []) == "10.0.0.1")
        // Forwarded configured: a client's X-Forwarded-For picks nothing.
        #expect(
            self.forwardedResolver.clientAddress(
                peer: "10.0.0.1",
                forwarded: ["for=203.0.113.9"],
                forwardedFor: ["198.51.100.1"]
            ) == "203.0.113.9"
        )
        #expect(
            self.forwardedResolver.clientAddress(peer: "10.0.0.1", forwarded: [], forwardedFor: ["198.51.100.1"])
                == "10.0.0.1"
        )
    }

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() {
        #expect(
            self.resolver.clientAddress(peer: "203.0.113.7", forwarded: ["for=1.1.1.1"], forwardedFor: ["2.2.2.2"])
                == "203.0.113.7"
        )
        #expect(ClientAddressResolver().clientAddress(peer: "10.0.0.1", forwarded: [], forwardedFor: ["1.1.1.1"]) == "10.0.0.1")
    }

    @Test func aTrustedPeerNamesTheRightMostUntrustedHop() {
        // The client wrote 6.6.6.6 itself; our proxies saw 198.51.100.4.
        #expect(
            self.resolver.clientAddress(
                peer: "10.0.0.2",
                forwarded: [],
                forwardedFor: ["6.6.6.6, 198.51.100.4", "10.0.0.9"]
            ) == "198.51.100.4"
        )
        #expect(
            self.forwardedResolver.clientAddress(
                peer: "2001:db8::5",
                forwarded: ["for=6.6.6.6, for=\"[2001:DB8:cafe::17]:4711\";proto=https", "for=198.51.100.4:80;by=x"],
                forwardedFor: ["9.9.9.9"]
            ) == "198.51.100.4"
        )
        #expect(
            self.forwardedResolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=\"[2001:db9::1]\""], forwardedFor: [])
                == "2001:db9::1"
        )
    }

    @Test func garbageEndsTheWalkAtTheHopThatWroteIt() {
        #expect(self.resolver.clientAddress(peer: "10.0.0.2", forwarded: [], forwardedFor: ["1.1.1.1, unknown"]) == "10.0.0.2")
        #expect(
            self.forwardedResolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=_hidden"], forwardedFor: [])
                == "10.0.0.2"
        )
        #expect(self.resolver.clientAddress(peer: "10.0.0.2", forwarded: [], forwardedFor: [""]) == "10.0.0.2")
        #expect(self.resolver.clientAddress(peer: "10.0.0.2", forwarded: [], forwardedFor: []) == "10.0.0.2")
    }

    /// Round-3 report, item 8: `for=6.6.6.6;for=7.7.7.7` (a parameter twice in one element,
    /// RFC 7239 §4) is ambiguous: neither address is taken, the walk ends as for garbage.
    @Test func aForwardedElementRepeatingAParameterIsMalformed() {
        for element in ["for=6.6.6.6;for=7.7.7.7", "for=7.7.7.7;FOR=6.6.6.6", "for=7.7.7.7;by=a;by=b", "proto=http;for=7.7.7.7;proto=https"] {
            #expect(
                self.forwardedResolver.clientAddress(peer: "10.0.0.2", forwarded: [element], forwardedFor: [])
                    == "10.0.0.2",
                "\(element)"
            )
            #expect(
                self.forwardedResolver.clientAddress(
                    peer: "10.0.0.2",
                    forwarded: ["for=198.51.100.9", "\(element), for=10.0.0.9"],
                    forwardedFor: []
                ) == "10.0.0.9",
                "\(element)"
            )
        }
        #expect(
            self.forwardedResolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=7.7.7.7;by=10.0.0.2"], forwardedFor: [])
                == "7.7.7.7"
        )
    }

    @Test func onlyTrustedHopsGiveTheLeftMost() {
        #expect(self.resolver.clientAddress(peer: "10.0.0.2", forwarded: [], forwardedFor: ["10.0.0.3, 10.0.0.4"]) == "10.0.0.3")
    }

    @Test func anUnparsablePeerIsKeptAsIs() {
        #expect(self.resolver.clientAddress(peer: nil, forwarded: [], forwardedFor: ["1.1.1.1"]) == "unknown")
    }
}
