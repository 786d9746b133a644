import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection of the load generator, on a blocking socket owned by one
/// worker thread. It writes a request and reads the response (Content-Length or chunked) with
/// as little work as possible, so that on a machine shared with the server the generator's
/// own cost stays small next to the server's (AsyncHTTPClient cost ~0.5 ms CPU per ceremony,
/// as much as a third of the server's).
final class LoadConnection {
    /// Why a request failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let host: String
    private let port: UInt16
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var start = 0
    /// When the request being exchanged must have its whole answer (monotonic, nanoseconds).
    private var deadline: UInt64 = 0

    /// The longest one exchange may take, request and whole answer: a server that drips its
    /// answer is cut off, not waited for forever.
    static let exchangeLimit: UInt64 = 30_000_000_000

    /// A connection to `url`'s host and port (opened on first use; IPv4 addresses or names).
    init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host
        else { throw Failure(description: "\(url) is not an http:// URL") }
        // URLComponents reads any digits as a port: 99999 would trap in UInt16(_:).
        guard let port = UInt16(exactly: components.port ?? 80), port >= 1 else {
            throw Failure(description: "\(url) has a port that is not from 1 to 65535")
        }
        self.host = host
        self.port = port
        self.buffer.reserveCapacity(16_384)
    }

    deinit {
        if self.socket >= 0 { close(self.socket) }
    }

    private func connect() throws {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(self.host, String(self.port), &hints, &result) == 0, let info = result else {
            throw Failure(description: "cannot resolve \(self.host)")
        }
        defer { freeaddrinfo(result) }
        let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A server that stops reading cannot block a send for longer than an exchange.
        var sendLimit = timeval(tv_sec: Int(Self.exchangeLimit / 1_000_000_000), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendLimit, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(fd)
            throw Failure(description: "connect to \(self.host):\(self.port): errno \(errno)")
        }
        self.socket = fd
        self.buffer.removeAll(keepingCapacity: true)
        self.start = 0
    }

    private func reset() {
        if self.socket >= 0 { close(self.socket) }
        self.socket = -1
    }

    /// Sends a request and returns the response's status and body; the connection is reopened
    /// when the server closed it.
    func send(method: String, path: String, headers: [(String, String)], body: [UInt8]) throws -> (
        status: Int, body: [UInt8]
    ) {
        self.deadline = DispatchTime.now().uptimeNanoseconds + Self.exchangeLimit
        if self.socket < 0 { try self.connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(self.host):\(self.port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        var request = Array(head.utf8)
        request.append(contentsOf: body)
        do {
            try self.write(request)
            return try self.readResponse()
        } catch {
            self.reset()
            throw error
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.send(self.socket, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// Reads more bytes into the buffer.
    private func fill() throws {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < self.deadline else { throw Failure(description: "the server did not answer in time") }
        var waiting = pollfd(fd: self.socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: (self.deadline - now) / 1_000_000 + 1)
        guard poll(&waiting, 1, milliseconds) > 0 else {
            throw Failure(description: "the server did not answer in time")
        }
        let oldCount = self.buffer.count
        self.buffer.append(contentsOf: repeatElement(0, count: 16_384))
        let received = self.buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            return recv(self.socket, base + oldCount, 16_384, 0)
        }
        self.buffer.removeLast(16_384 - max(received, 0))
        guard received > 0 else { throw Failure(description: "the server closed the connection") }
    }

    /// The index after the next CRLF at or after `from`, reading more as needed.
    private func line(from: Int) throws -> (line: ArraySlice<UInt8>, next: Int) {
        var index = from
        while true {
            while index + 1 < self.buffer.count {
                if self.buffer[index] == 13, self.buffer[index + 1] == 10 {
                    return (self.buffer[from..<index], index + 2)
                }
                index += 1
            }
            // A header line never ends: not read on without bound.
            guard self.buffer.count - from <= 65_536 else { throw Failure(description: "a header line is too long") }
            try self.fill()
        }
    }

    /// The largest response body read (64 MiB): a server's length is outside data.
    static let bodyLimit = 64 << 20

    private func readResponse() throws -> (status: Int, body: [UInt8]) {
        // Drop the bytes of earlier responses (indices below stay valid while this one is read).
        self.buffer.removeFirst(self.start)
        self.start = 0
        let (statusLine, first) = try self.line(from: self.start)
        var next = first
        // "HTTP/1.1 200 OK"
        let parts = statusLine.split(separator: 32, maxSplits: 2)
        guard parts.count >= 2, let status = Int(String(decoding: parts[1], as: UTF8.self)) else {
            throw Failure(description: "bad status line")
        }
        var length: Int?
        var chunked = false
        var close = false
        while true {
            let header: ArraySlice<UInt8>
            (header, next) = try self.line(from: next)
            if header.isEmpty { break }
            let text = String(decoding: header, as: UTF8.self).lowercased()
            if text.hasPrefix("content-length:") {
                length = Int(text.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
            } else if text.hasPrefix("transfer-encoding:"), text.contains("chunked") {
                chunked = true
            } else if text.hasPrefix("connection:"), text.contains("close") {
                close = true
            }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let sizeLine: ArraySlice<UInt8>
                (sizeLine, next) = try self.line(from: next)
                let hex = String(decoding: sizeLine, as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16),
                    (0...Self.bodyLimit).contains(size), body.count + size <= Self.bodyLimit
                else {
                    throw Failure(description: "bad chunk size")
                }
                while self.buffer.count < next + size + 2 { try self.fill() }
                body.append(contentsOf: self.buffer[next..<(next + size)])
                next += size + 2
                if size == 0 { break }
            }
        } else {
            let count = length ?? 0
            guard (0...Self.bodyLimit).contains(count) else { throw Failure(description: "bad Content-Length") }
            while self.buffer.count < next + count { try self.fill() }
            body.append(contentsOf: self.buffer[next..<(next + count)])
            next += count
        }
        self.start = next
        if close { self.reset() }
        return (status, body)
    }
}
