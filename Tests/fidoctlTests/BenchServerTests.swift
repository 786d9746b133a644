import FIDOKitTestSupport
import Foundation
import Testing

/// `fidoctl bench server` against a real `mfa-server` process: members set up over HTTP, full
/// WebAuthn ceremonies, no errors; and the server's graceful shutdown on SIGTERM.
struct BenchServerTests {
    /// A port nothing listens on now.
    static func freePort() -> Int {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func theLoadGeneratorRunsCeremoniesWithoutErrorsAndTheServerStopsOnSIGTERM() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("admin-password")
        try Data("bench admin password".utf8).write(to: passwordFile)
        // mfa-server refuses a password file others may read.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let port = Self.freePort()
        let server = Process()
        server.executableURL = FidoctlRunner.binary.deletingLastPathComponent().appendingPathComponent("mfa-server")
        server.arguments = [
            "--port", String(port), "--data-directory", directory.path, "--admin-password-file", passwordFile.path,
            "--origin", "http://localhost:\(port)",
        ]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        var seen = ""
        while !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("listening on http://127.0.0.1:\(port)"))
        #expect(seen.contains("Demo tenant created"))

        let result = try FidoctlRunner.run([
            "bench", "server", "--url", "http://127.0.0.1:\(port)", "--origin", "http://localhost:\(port)",
            "--admin-password-file", passwordFile.path, "--members", "3", "--concurrency", "2", "--seconds", "1", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["errors"] as? Int == 0)
        #expect((report["ceremonies"] as? Int ?? 0) > 0)
        #expect((report["p99Milliseconds"] as? Double ?? 0) > 0)

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }

    /// A server that drips its answer is cut off by the exchange's 30 s deadline (exit 69),
    /// not waited for forever.
    @Test func aDrippingServerIsCutOff() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-drip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("admin-password")
        try Data("bench admin password".utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let server = try DrippingHTTPServer(status: "201 Created")
        defer { server.stop() }
        let started = Date()
        let result = try FidoctlRunner.run([
            "bench", "server", "--url", "http://127.0.0.1:\(server.port)", "--admin-password-file", passwordFile.path,
            "--seconds", "1",
        ])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("within 30 s"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 45)
    }

    /// A server that is not there (connection refused) is unavailable (69), like a silent one.
    @Test func aRefusedConnectionIsUnavailable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("admin-password")
        try Data("bench admin password".utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        // Port 9 (discard) has no listener here: the connection is refused at once.
        let result = try FidoctlRunner.run([
            "bench", "server", "--url", "http://127.0.0.1:9", "--admin-password-file", passwordFile.path, "--seconds", "1",
        ])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("cannot be reached"), "\(result.stderr)")
    }
}
