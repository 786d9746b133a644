import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Round-2 report, item 6: a start that cannot listen (the port held by another process) exits
/// 69 with a sentence, before the tenant and admin exist: no data folder, no one-time admin
/// password shown and used up.
struct RealServerListenTests {
    /// A listening socket on a free loopback port, and the port.
    static func holdPort() -> (descriptor: Int32, port: Int)? {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            return nil
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aPortInUseExits69BeforeAnythingIsWritten() throws {
        let held = try #require(Self.holdPort())
        defer { close(held.descriptor) }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("listen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = Process()
        server.executableURL = RealServer.binary
        server.arguments = ["--data-directory", data.path, "--port", String(held.port)]
        let output = Pipe()
        let errors = Pipe()
        server.standardOutput = output
        server.standardError = errors
        try server.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        server.waitUntilExit()
        #expect(server.terminationStatus == 69)
        #expect(message.contains("port \(held.port) is in use"), "\(message)")
        #expect(!printed.contains("Admin"), "\(printed)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}
