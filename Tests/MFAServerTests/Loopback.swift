import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where HummingbirdTesting's live servers listen: it binds "localhost", which resolves to
/// 127.0.0.1 on most machines but to ::1 on one without an /etc/hosts (a fresh debootstrap
/// root). Tests that open raw sockets or expect the peer's address ask here instead of
/// assuming 127.0.0.1.
enum Loopback {
    /// The first address "localhost" resolves to, as a server binding it takes it.
    static let address: String = {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", nil, &hints, &results) == 0, let first = results else { return "127.0.0.1" }
        defer { freeaddrinfo(results) }
        return first.pointee.ai_family == AF_INET6 ? "::1" : "127.0.0.1"
    }()

    /// A range holding ``address``, and one of the other loopback family that does not.
    static var range: String { Self.address == "::1" ? "::1/128" : "127.0.0.0/8" }
    static var otherRange: String { Self.address == "::1" ? "127.0.0.0/8" : "::1/128" }

    /// A TCP socket connected to `host`:`port` (`host` is "::1" or an IPv4 address, by default
    /// ``address``), or -1.
    static func connect(port: Int, host: String = Self.address) -> Int32 {
        if host == "::1" {
            let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
            guard connected == 0 else {
                close(descriptor)
                return -1
            }
            return descriptor
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }
}
