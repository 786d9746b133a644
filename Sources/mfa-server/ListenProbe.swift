import Foundation
import HTTPInput

#if canImport(Glibc)
    import Glibc
#endif

/// Checks, before anything is written, that `mfa-server` can listen where it was told: a start
/// that fails later (port in use) must not have created the tenant and shown the one-time admin
/// password. The probe binds the address (with `SO_REUSEADDR`, as the server does) and closes it
/// again; another process taking the port in the moment between is still reported by the
/// server's own bind.
enum ListenProbe {
    /// Why the address cannot be listened on: a sentence and the exit code.
    struct Failure: Error {
        var message: String
        /// 64 (`EX_USAGE`) for a host that is no address, 69 (`EX_UNAVAILABLE`) for a port in use.
        var exitCode: Int32
    }

    /// The address `host` (an IP address, or `localhost` for 127.0.0.1) stands for, or `nil`.
    static func address(_ host: String) -> IPAddress? {
        if host.lowercased() == "localhost" { return try? IPAddress("127.0.0.1") }
        return try? IPAddress(host)
    }

    /// Binds `host`:`port` once and lets it go.
    ///
    /// - Throws: ``Failure``.
    static func check(host: String, port: Int) throws(Failure) {
        guard let address = Self.address(host) else {
            throw Failure(message: "--host \(host): not an IP address (or localhost)", exitCode: 64)
        }
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        let networkPort = UInt16(clamping: port).bigEndian
        if address.isIPv4 {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = networkPort
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: address.bytes.prefix(4)) }
            result = withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = networkPort
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: address.bytes.prefix(16)) }
            result = withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard result != 0 else { return }
        let reason = errno
        switch reason {
        case EADDRINUSE:
            throw Failure(message: "\(host) port \(port) is in use by another process", exitCode: 69)
        case EADDRNOTAVAIL:
            throw Failure(message: "--host \(host): this machine has no such address", exitCode: 64)
        case EACCES:
            throw Failure(
                message: "\(host) port \(port): permission denied (ports below 1024 need privileges)",
                exitCode: 77
            )
        default:
            throw Failure(
                message: "\(host) port \(port) cannot be listened on: \(String(cString: strerror(reason)))",
                exitCode: 69
            )
        }
    }
}
