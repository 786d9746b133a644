import FIDOMetadata
import Foundation
import Testing

/// Fetching BLOBs from a file and from an HTTP server on loopback.
struct MetadataSourceTests {
    @Test func textSelectsFileOrURL() {
        #expect(MetadataSource("https://mds3.fidoalliance.org/") == .url(URL(string: "https://mds3.fidoalliance.org/")!))
        #expect(MetadataSource("/var/lib/mds.jwt") == .file(URL(fileURLWithPath: "/var/lib/mds.jwt")))
    }

    @Test func aFileIsRead() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mds-\(UUID().uuidString).jwt")
        try Data("abc.def.ghi".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try await MetadataSource.file(file).fetch() == Array("abc.def.ghi".utf8))
        await #expect(throws: MetadataError(.unavailable, "")) {
            try await MetadataSource.file(URL(fileURLWithPath: "/nonexistent/mds.jwt")).fetch()
        }
    }

    @Test func aURLIsFetchedAndErrorsAreReported() async throws {
        let server = try LoopbackHTTPServer(files: ["blob.jwt": Array("blob-bytes".utf8)])
        defer { server.stop() }
        #expect(try await MetadataSource.url(server.url("blob.jwt")).fetch() == Array("blob-bytes".utf8))
        await #expect(throws: MetadataError(.unavailable, "")) { try await MetadataSource.url(server.url("missing.jwt")).fetch() }
    }
}

/// A minimal HTTP/1.0 server on a loopback port chosen by the kernel, on its own thread: it
/// answers `GET /NAME` with the bytes registered for NAME, and 404 otherwise.
final class LoopbackHTTPServer: @unchecked Sendable {
    let listener: Int32
    let port: Int
    let files: [String: [UInt8]]

    init(files: [String: [UInt8]]) throws {
        self.files = files
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in self.serve() }
    }

    private func serve() {
        while true {
            let connection = accept(self.listener, nil, nil)
            guard connection >= 0 else { return }
            var request: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
                let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, 1024, 0) }
                guard count > 0 else { break }
                request += buffer[0..<count]
            }
            let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
            let name = line.count > 1 ? String(line[1].dropFirst()) : ""
            let body = self.files[name]
            let head = body == nil ? "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n" : "HTTP/1.0 200 OK\r\nContent-Length: \(body?.count ?? 0)\r\n\r\n"
            let response = Array(head.utf8) + (body ?? [])
            _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    func url(_ name: String) -> URL {
        URL(string: "http://127.0.0.1:\(self.port)/\(name)")!
    }

    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }
}
