public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server that answers every request with a head announcing 1,000 bytes and then
/// drips the body, one byte every half second: a client without a deadline for the whole
/// answer waits for over eight minutes.
public final class DrippingHTTPServer: Sendable {
    /// The port the kernel picked.
    public let port: Int
    private let listener: Int32
    private let status: String

    /// Starts serving with `status` (e.g. `200 OK`).
    public init(status: String = "200 OK") throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard listener >= 0, bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        self.status = status
        let head = "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        Thread.detachNewThread {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                Thread.detachNewThread { Self.drip(connection, head: Array(head.utf8)) }
            }
        }
    }

    /// `http://127.0.0.1:PORT/` followed by `path`.
    public func url(_ path: String = "") -> URL {
        URL(string: "http://127.0.0.1:\(self.port)/\(path)") ?? URL(fileURLWithPath: "/")
    }

    private static func drip(_ connection: Int32, head: [UInt8]) {
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &buffer, buffer.count, 0)
        guard send(connection, head, head.count, Int32(MSG_NOSIGNAL)) == head.count else { return }
        for _ in 0..<1000 {
            usleep(500_000)
            guard send(connection, [UInt8(ascii: " ")], 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
        }
    }

    /// Stops accepting connections.
    public func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }
}
