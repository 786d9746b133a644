import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real `mfa-server` binary built next to the test bundle, started on a free port with the
/// given flags; `init` returns once it has printed `listening on` (or stopped before that:
/// see ``isListening``). Its standard output is read until then; standard error is kept for
/// ``stop()`` when `keepingErrors` is set, and thrown away otherwise.
final class RealServer: @unchecked Sendable {
    /// The `mfa-server` executable next to the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mfa-server")
    }

    /// Where `mfa-server` listens by default (its `--host`).
    static let host = "127.0.0.1"

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

    /// A TCP socket connected to the server on ``host``:`port` with a receive timeout of
    /// `seconds`, or `nil`.
    static func connect(port: Int, timeout seconds: Int = 10) -> Int32? {
        let descriptor = Loopback.connect(port: port, host: Self.host)
        guard descriptor >= 0 else { return nil }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Runs the binary with `arguments` until it exits: its status and standard error.
    static func exit(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let server = Process()
        server.executableURL = Self.binary
        server.arguments = arguments
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        server.waitUntilExit()
        return (server.terminationStatus, message)
    }

    let process = Process()
    let port: Int
    /// What the server printed on standard output until it listened or stopped.
    let output: String
    private let errors: Pipe?
    private var errorText = ""

    /// Whether the server printed `listening on` (rather than closing its output first).
    var isListening: Bool { self.output.contains("listening on") }

    /// Starts the binary with `--port port` and `arguments`, and waits until it listens or stops.
    init(port: Int = RealServer.freePort(), arguments: [String], keepingErrors: Bool = false) throws {
        self.port = port
        self.errors = keepingErrors ? Pipe() : nil
        self.process.executableURL = Self.binary
        self.process.arguments = ["--port", String(port)] + arguments
        let output = Pipe()
        self.process.standardOutput = output
        self.process.standardError = self.errors ?? FileHandle.nullDevice
        try self.process.run()
        var seen = ""
        while !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        self.output = seen
    }

    /// Stops the server (if it still runs), waits for it, and returns everything it wrote on
    /// standard error (empty unless `keepingErrors`).
    @discardableResult func stop() -> String {
        if self.process.isRunning { self.process.terminate() }
        self.process.waitUntilExit()
        if let errors = self.errors {
            self.errorText += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        return self.errorText
    }
}
