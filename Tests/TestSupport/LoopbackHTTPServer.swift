public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on a loopback port the kernel picks, on its own thread: each
/// connection carries one request (read to its `Content-Length`), which is recorded and answered
/// by the handler, then closed. In-process on purpose: tests that run a child-process server
/// next to an HTTP client in the same process have hung here.
public final class LoopbackHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable, Hashable {
        public var method: String
        /// The path and query.
        public var target: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
    }

    /// An answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data

        /// Creates a response.
        public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// A JSON answer.
        public static func json(_ status: Int, _ text: String) -> Response {
            Response(status: status, headers: ["Content-Type": "application/json"], body: Data(text.utf8))
        }
    }

    private let listener: Int32
    public let port: Int
    private let handler: @Sendable (Request) -> Response
    private let received = Mutex<[Request]>([])

    /// Starts serving with `handler`.
    public init(_ handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in self.serve() }
    }

    /// Serves fixed files: `GET /NAME` answers the bytes registered for NAME, else 404.
    public convenience init(files: [String: [UInt8]]) throws {
        try self.init { request in
            guard let body = files[String(request.target.dropFirst())] else { return Response(status: 404) }
            return Response(body: Data(body))
        }
    }

    /// The requests received so far, oldest first.
    public var requests: [Request] { self.received.withLock { $0 } }

    /// `http://127.0.0.1:PORT/` followed by `path`.
    public func url(_ path: String = "") -> URL {
        URL(string: "http://127.0.0.1:\(self.port)/\(path)")!
    }

    /// Stops accepting connections.
    public func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private func serve() {
        while true {
            let connection = accept(self.listener, nil, nil)
            guard connection >= 0 else { return }
            if let request = Self.read(connection) {
                self.received.withLock { $0.append(request) }
                Self.write(self.handler(request), to: connection)
            }
            close(connection)
        }
    }

    private static func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Int?
        var expected = 0
        while headerEnd == nil || bytes.count < (headerEnd ?? 0) + expected {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, 4096, 0) }
            guard count > 0 else { return nil }
            bytes += buffer[0..<count]
            if headerEnd == nil, let range = bytes.firstRange(of: [13, 10, 13, 10]) {
                headerEnd = range.upperBound
                let head = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        expected = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
        }
        guard let headerEnd else { return nil }
        let lines = String(decoding: bytes[..<(headerEnd - 4)], as: UTF8.self).split(separator: "\r\n")
        let start = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Request(
            method: start.count > 0 ? String(start[0]) : "",
            target: start.count > 1 ? String(start[1]) : "",
            headers: headers,
            body: Data(bytes[headerEnd..<(headerEnd + expected)])
        )
    }

    private static func write(_ response: Response, to connection: Int32) {
        var head = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + Array(response.body)
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
