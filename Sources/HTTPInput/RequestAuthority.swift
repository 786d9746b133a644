/// The authority a request names — its `Host` header, or an absolute-form target's
/// (RFC 9112 §3.2) — parsed strictly as `host[:port]` (RFC 3986 §3.2.2–3.2.3), so the host the
/// server checks against its origins is the one the client named, spelled one way:
///
/// - the host is a registered name (ASCII letters, digits, `-`, `.`, `_`, `~`; no
///   percent-escapes or sub-delimiters), an IPv4 address, or an IPv6 address in brackets
///   (``IPAddress``'s strict parser; no zones, no IPvFuture);
/// - the port, when a `:` is there, is 1 to 5 digits standing for 1–65535 (`:`, `:0`,
///   `:99999`, `:+1` are refused);
/// - nothing else: no user information (`@`), path, query, fragment, space or second colon.
///
/// Refused with ``HTTPInputError`` `bad_host`.
public struct RequestAuthority: Sendable, Hashable, CustomStringConvertible {
    /// The host, lower-cased; an IPv6 address keeps its brackets (`[::1]`).
    public let host: String
    /// The port, when one was given.
    public let port: Int?

    /// The longest authority accepted (a domain name's 253 bytes, a colon and a port).
    public static let maximumLength = 260

    /// Parses `text`, a `Host` value.
    ///
    /// - Throws: ``HTTPInputError`` `bad_host`.
    public init(_ text: String) throws(HTTPInputError) {
        guard !text.isEmpty, text.utf8.count <= Self.maximumLength else {
            throw HTTPInputError(.badHost, "The host is empty or longer than \(Self.maximumLength) bytes.")
        }
        let lower = text.lowercased()
        let hostPart: Substring
        let portPart: Substring?
        if lower.hasPrefix("[") {
            guard let close = lower.firstIndex(of: "]") else {
                throw HTTPInputError(.badHost, "An IPv6 host has no closing bracket.")
            }
            hostPart = lower[...close]
            let rest = lower[lower.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else {
                throw HTTPInputError(.badHost, "Only :PORT may follow an IPv6 host.")
            }
            portPart = rest.isEmpty ? nil : rest.dropFirst()
            guard (try? IPAddress(hostPart.dropFirst().dropLast())) != nil, hostPart.dropFirst().contains(":") else {
                throw HTTPInputError(.badHost, "The host in brackets is not an IPv6 address.")
            }
        } else {
            let parts = lower.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, let first = parts.first else {
                throw HTTPInputError(.badHost, "The host has more than one colon (IPv6 goes in brackets).")
            }
            hostPart = first
            portPart = parts.count == 2 ? parts.last : nil
            guard !hostPart.isEmpty,
                hostPart.utf8.allSatisfy({ byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
                    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
                    default: false
                    }
                })
            else {
                throw HTTPInputError(
                    .badHost,
                    "The host is not a name of letters, digits, -, ., _ and ~, an IPv4 address or [IPv6]."
                )
            }
            // Labels of a name: none empty (`..localhost`, `.a`; one trailing dot is the root),
            // at most 63 bytes, none starting or ending with `-` (`-.localhost`).
            var labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
            if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
            guard
                labels.allSatisfy({ label in
                    !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                })
            else {
                throw HTTPInputError(
                    .badHost,
                    "A label of the host name is empty, over 63 bytes, or starts or ends with -."
                )
            }
            // A dotted number is an IPv4 address or nothing (`999.1.1.1`, `1.2.3`).
            if hostPart.utf8.allSatisfy({
                $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            }),
                (try? IPAddress(hostPart)) == nil
            {
                throw HTTPInputError(.badHost, "The host looks like an IPv4 address but is not one.")
            }
        }
        if let portPart {
            guard (1...5).contains(portPart.utf8.count),
                portPart.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let port = Int(portPart), (1...65_535).contains(port)
            else { throw HTTPInputError(.badHost, "The port is not a number from 1 to 65535.") }
            self.port = port
        } else {
            self.port = nil
        }
        self.host = String(hostPart)
    }

    public var description: String { self.port.map { "\(self.host):\($0)" } ?? self.host }
}
