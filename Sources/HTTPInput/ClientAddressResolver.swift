/// Finds a request's client address: the TCP peer, unless the peer is a trusted proxy, in
/// which case the proxies' forwarding headers are read from the right (the hop nearest to us)
/// and the first address that is not a trusted proxy is the client. Everything to its left
/// was written by the client and is ignored, so a client cannot choose its own address.
///
/// One header is authoritative, ``Header/xForwardedFor`` by default (what nginx, HAProxy and
/// most load balancers write) or ``Header/forwarded`` (RFC 7239, its `for=` parameters); the
/// other is ignored entirely, since a proxy that writes one passes a client's copy of the
/// other through unchanged. An entry that is not an address (`unknown`, an obfuscated `_name`, garbage) ends
/// the walk: the hop that wrote it is the client address. So does a `Forwarded` element that
/// repeats a parameter (`for=6.6.6.6;for=7.7.7.7`, RFC 7239 §4): it is ambiguous, not read either way.
public struct ClientAddressResolver: Sendable, Hashable {
    /// The proxies whose forwarding headers are believed.
    public var trustedProxies: [IPAddressRange]

    /// The forwarding header read.
    public var header: Header

    /// Which forwarding header the trusted proxies write.
    public enum Header: String, Sendable, Hashable, CaseIterable {
        /// `X-Forwarded-For: client, proxy1, …`.
        case xForwardedFor = "x-forwarded-for"
        /// `Forwarded: for=client, for=proxy1` (RFC 7239).
        case forwarded
    }

    /// The most forwarding hops read.
    public static let maximumHops = 32

    /// Creates a resolver trusting `trustedProxies` (none: the peer is always the client) and
    /// reading `header` only.
    public init(trustedProxies: [IPAddressRange] = [], header: Header = .xForwardedFor) {
        self.trustedProxies = trustedProxies
        self.header = header
    }

    func isTrusted(_ address: IPAddress) -> Bool {
        self.trustedProxies.contains { $0.contains(address) }
    }

    /// The client address of a request.
    ///
    /// - Parameters:
    ///   - peer: The TCP peer's address as text (`nil` or unparsable: `"unknown"` unless proxied).
    ///   - forwarded: The values of every `Forwarded` header, in order (read only when
    ///     ``header`` is ``Header/forwarded``).
    ///   - forwardedFor: The values of every `X-Forwarded-For` header, in order (read only when
    ///     ``header`` is ``Header/xForwardedFor``).
    /// - Returns: The client address, in ``IPAddress``'s one spelling when it is one.
    public func clientAddress(peer: String?, forwarded: [String], forwardedFor: [String]) -> String {
        guard let peerText = peer, let peerAddress = try? IPAddress(peerText) else { return peer ?? "unknown" }
        guard self.isTrusted(peerAddress) else { return peerAddress.description }
        let hops: [Substring]
        switch self.header {
        case .xForwardedFor: hops = Self.forwardedForHops(forwardedFor)
        case .forwarded: hops = Self.forwardedHops(forwarded)
        }
        var client = peerAddress
        for hop in hops.reversed().prefix(Self.maximumHops) {
            guard let address = try? IPAddress(hop) else { return client.description }
            client = address
            if !self.isTrusted(address) { break }
        }
        return client.description
    }

    /// The entries of `X-Forwarded-For: a, b, c`.
    static func forwardedForHops(_ values: [String]) -> [Substring] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map {
            Substring(String($0).trimmingSpaces())
        }
    }

    /// The `for=` values of `Forwarded: for=a;proto=https, for="[2001:db8::1]:443"`, without
    /// quotes, brackets or ports.
    static func forwardedHops(_ values: [String]) -> [Substring] {
        var hops: [Substring] = []
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            var node: Substring = "unknown"
            var names: Set<String> = []
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let name = String(parts[0]).trimmingSpaces().lowercased()
                // RFC 7239 §4: a parameter occurs at most once per element. `for=a;for=b` means
                // two things, so the element is malformed and names no address.
                guard names.insert(name).inserted else {
                    node = "unknown"
                    break
                }
                guard name == "for" else { continue }
                node = Self.nodeAddress(Substring(String(parts[1]).trimmingSpaces()))
            }
            hops.append(node)
        }
        return hops
    }

    /// `"[2001:db8::1]:443"` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`.
    static func nodeAddress(_ raw: Substring) -> Substring {
        var node = raw
        if node.count >= 2, node.hasPrefix("\""), node.hasSuffix("\"") { node = node.dropFirst().dropLast() }
        if node.hasPrefix("[") {
            guard let close = node.firstIndex(of: "]") else { return "unknown" }
            return node[node.index(after: node.startIndex)..<close]
        }
        if node.filter({ $0 == ":" }).count == 1, let colon = node.firstIndex(of: ":") { return node[..<colon] }
        return node
    }
}
