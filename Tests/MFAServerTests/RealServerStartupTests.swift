import Foundation
import Testing

/// The real `mfa-server`, started as the outside tester of issue 13 did: every numeric flag
/// finite and in range, RP id and origins as WebAuthn takes them, the admin's password file
/// and the key file checked before anything is written; and, over TCP, a body that ends early
/// or drips, a request without `Host` or with a foreign one.
@Suite(.serialized) struct RealServerStartupTests {
    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }

    /// Outside report items 5 and 8: each is a usage error (64) naming its flag, and nothing is
    /// written (no data folder).
    @Test(arguments: [
        ["--port", "99999"], ["--port", "0"], ["--header-timeout", "1e308"], ["--idle-timeout", "1e308"],
        ["--idle-timeout", "inf"], ["--body-timeout", "nan"], ["--body-timeout", "0"],
        ["--sms-resend-interval", "inf"], ["--sms-resend-interval", "-1"], ["--step-up-minutes", "nan"],
        ["--rp-id", "bad_domain!"], ["--rp-id", "https://example.com"], ["--rp-id", ""],
        ["--origin", "javascript:alert(1)"], ["--origin", "http://evil.com"], ["--origin", "https://exa mple.com"],
        ["--forwarded-header", "via"], ["--rp-id", "com"], ["--rp-id", "localhost2"], ["--host", "999.1.1.1"],
        ["--host", "example.com"], ["--host", ""],
    ])
    func outOfRangeFlagsAreUsageErrorsBeforeAnythingIsWritten(_ arguments: [String]) throws {
        let data = Self.temporaryFolder("flags")
        defer { try? FileManager.default.removeItem(at: data) }
        let (status, errors) = try RealServer.exit(["--data-directory", data.path] + arguments)
        #expect(status == 64)
        #expect(errors.contains(arguments[0]), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    /// Round-3 report, item 12: a bad `--database`, `--sms-provider` or `--push-provider`
    /// value, and a negative number written `--flag -1`, is a usage error (64) with a sentence
    /// naming the flag, and nothing is written: no data folder, database or key file.
    @Test(arguments: [
        ["--sms-provider", "bogus"], ["--database", "mysql://x"], ["--database", "sqlite:"],
        ["--database", "postgres://"], ["--database", "postgres://127.0.0.1/db"], ["--push-provider", "bogus"],
        ["--push-provider", "apns:x"], ["--sms-provider", "file:"], ["--sms-provider", "twilio:"],
        ["--step-up-minutes", "-1"], ["--port", "-1"], ["--sms-per-member-hour", "-5"], ["--sweep-interval", "-60"],
        ["--idle-timeout", "-1"],
    ])
    func providerAndDatabaseValuesAreUsageErrorsBeforeAnythingIsWritten(_ arguments: [String]) throws {
        let data = Self.temporaryFolder("providers")
        defer { try? FileManager.default.removeItem(at: data) }
        let (status, errors) = try RealServer.exit(["--data-directory", data.path] + arguments)
        #expect(status == 64, "\(errors)")
        #expect(errors.contains(arguments[0]), "\(errors)")
        #expect(!errors.contains("Missing value") && !errors.contains("No such file"), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    /// Round-3 report, item 12: `sqlite:` says the path is empty.
    @Test func anEmptySQLitePathIsNamed() throws {
        let (status, errors) = try RealServer.exit(["--database", "sqlite:", "--port", "1"])
        #expect(status == 64)
        #expect(errors.contains("names no file"), "\(errors)")
    }

    /// Round-3 report, item 12: what a provider needs from the environment is checked before
    /// anything is written too (78: configuration).
    @Test func aProviderMissingItsEnvironmentLeavesNothingBehind() throws {
        let data = Self.temporaryFolder("provider-environment")
        defer { try? FileManager.default.removeItem(at: data) }
        for arguments in [["--sms-provider", "twilio:AC123"], ["--push-provider", "fcm:project"]] {
            let (status, errors) = try RealServer.exit(["--data-directory", data.path] + arguments)
            #expect(status == 78, "\(errors)")
            #expect(errors.contains("environment"), "\(errors)")
            #expect(!FileManager.default.fileExists(atPath: data.path))
        }
    }

    /// Round-3 report, item 12: a malformed key file is a configuration error (78) with the
    /// sentence saying which line, before the database is created.
    @Test(arguments: ["garbage line\n", "k1 c2hvcnQ=\n", "# only a comment\n"])
    func aMalformedKeyFileIsAConfigurationError(_ contents: String) throws {
        let data = Self.temporaryFolder("key-malformed")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = data.appendingPathComponent("server.key").path
        #expect(FileManager.default.createFile(atPath: key, contents: Data(contents.utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let (status, errors) = try RealServer.exit(["--data-directory", data.path, "--port", "1"])
        #expect(status == 78, "\(errors)")
        #expect(errors.contains("server key file") && errors.contains(key), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("mfa.sqlite").path))
    }

    /// Item 8: the admin password file missing (66), readable by others (78), or weak (64):
    /// a sentence each, and no data folder, tenant or database left behind.
    @Test func theAdminPasswordFileIsCheckedBeforeAnythingIsWritten() throws {
        let root = Self.temporaryFolder("admin-password")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("data").path
        let missing = try RealServer.exit(["--data-directory", data, "--admin-password-file", root.path + "/nonexistent"])
        #expect(missing.status == 66)
        #expect(missing.errors.contains("--admin-password-file") && !missing.errors.contains("NSCocoaErrorDomain"))
        let open = root.appendingPathComponent("open").path
        #expect(FileManager.default.createFile(atPath: open, contents: Data("a long enough password".utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        let readable = try RealServer.exit(["--data-directory", data, "--admin-password-file", open])
        #expect(readable.status == 78)
        #expect(readable.errors.contains("chmod 600"))
        let weak = root.appendingPathComponent("weak").path
        #expect(FileManager.default.createFile(atPath: weak, contents: Data("short".utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: weak)
        let refused = try RealServer.exit(["--data-directory", data, "--admin-password-file", weak])
        #expect(refused.status == 64)
        #expect(refused.errors.contains("8 to 1,024 characters") && !refused.errors.contains("weakPassword"))
        #expect(!FileManager.default.fileExists(atPath: data))
    }

    /// Item 8: a key file others can read stops the server before the database is created.
    @Test func aRefusedKeyFileLeavesNoDatabase() throws {
        let data = Self.temporaryFolder("key-first")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = data.appendingPathComponent("server.key").path
        #expect(FileManager.default.createFile(atPath: key, contents: Data("# none yet\n".utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let (status, errors) = try RealServer.exit(["--data-directory", data.path, "--port", "1"])
        #expect(status == 78)
        #expect(errors.contains("chmod 600"))
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("mfa.sqlite").path))
    }

    /// A running server with a data folder of its own: its port, and how to stop it.
    final class Running: @unchecked Sendable {
        let data = RealServerStartupTests.temporaryFolder("running")
        let server: RealServer
        var port: Int { self.server.port }
        var process: Process { self.server.process }

        init(_ arguments: [String]) throws {
            self.server = try RealServer(arguments: ["--data-directory", self.data.path] + arguments, keepingErrors: true)
        }

        /// Stops the server and returns everything it wrote on standard error.
        func stop() -> String {
            let errors = self.server.stop()
            try? FileManager.default.removeItem(at: self.data)
            return errors
        }
    }

    static func send(_ descriptor: Int32, _ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes or goes quiet.
    static func receive(_ descriptor: Int32) -> String {
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer.prefix(count)
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Item 3: a body that ends before its Content-Length, on every body-reading kind of route
    /// (sign-in form, API JSON, admin form), is a 400 with no error-level log and no 500
    /// security event. Item 10: no Host is a 400, a foreign Host a 421, a malformed query a 400.
    @Test func truncatedBodiesAndBadHeadsAreTheClientsFault() throws {
        let server = try Running([])
        var errors = ""
        defer { if errors.isEmpty { _ = server.stop() } }
        // A cookie and CSRF token, so the API reads the body (without them it refuses first).
        let csrfDescriptor = try #require(RealServer.connect(port: server.port))
        Self.send(csrfDescriptor, "GET /api/csrf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        let csrfAnswer = Self.receive(csrfDescriptor)
        close(csrfDescriptor)
        let cookie = try #require(
            csrfAnswer.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: ") }?
                .dropFirst("set-cookie: ".count).split(separator: ";").first
        )
        let body = csrfAnswer.components(separatedBy: "\r\n\r\n").last ?? ""
        let token = try #require(body.split(separator: "\"").dropFirst(3).first)  // {"csrfToken":"…"}
        let heads = [
            ("/signin", "application/x-www-form-urlencoded", "email=a"),
            ("/api/session", "application/json", "{\"email\":"),
            ("/tenant/members", "application/x-www-form-urlencoded", "csrf=x"),
        ]
        for (path, type, start) in heads {
            let descriptor = try #require(RealServer.connect(port: server.port))
            Self.send(
                descriptor,
                "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(type)\r\nContent-Length: 100\r\n"
                    + "Cookie: \(cookie)\r\nX-CSRF-Token: \(token)\r\n\r\n\(start)"
            )
            usleep(200_000)
            shutdown(descriptor, Int32(SHUT_WR))
            let answer = Self.receive(descriptor)
            close(descriptor)
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 400"), "\(path): \(answer.prefix(80))")
        }
        let statuses = [
            ("GET /signin HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 400"),
            ("GET /signin HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", "HTTP/1.1 421"),
            ("GET /signin HTTP/1.1\r\nHost: localhost:1234\r\nConnection: close\r\n\r\n", "HTTP/1.1 200"),
            ("GET /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 200"),
            ("GET /api/csrf?%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "HTTP/1.1 400"),
            ("GET /signin?% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "HTTP/1.1 400"),
        ]
        for (request, status) in statuses {
            let descriptor = try #require(RealServer.connect(port: server.port))
            Self.send(descriptor, request)
            let answer = Self.receive(descriptor)
            close(descriptor)
            #expect(answer.hasPrefix(status), "\(request.prefix(40)): \(answer.prefix(60))")
        }
        #expect(server.process.isRunning)
        errors = server.stop()
        #expect(!errors.contains(" error "), "\(errors)")
        #expect(!errors.contains("unexpected error"))
        #expect(!errors.contains("status=500"))
        #expect(!errors.contains("→ 500"))
    }

    /// Item 10: a body dripped a byte a second is cut off at `--body-timeout`, although every
    /// byte resets the idle timeout.
    @Test func aDrippedBodyIsCutOffAtTheBodyTimeout() throws {
        let server = try Running(["--body-timeout", "1", "--idle-timeout", "30"])
        defer { _ = server.stop() }
        let descriptor = try #require(RealServer.connect(port: server.port))
        defer { close(descriptor) }
        Self.send(
            descriptor,
            "POST /signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 100\r\n\r\n"
        )
        let started = Date()
        var closed = false
        for _ in 0..<8 {
            Self.send(descriptor, "a")
            var probe = [UInt8](repeating: 0, count: 64)
            var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if recv(descriptor, &probe, probe.count, 0) == 0 {
                closed = true
                break
            }
        }
        #expect(closed)
        #expect(Date().timeIntervalSince(started) < 3.5)
    }

    /// Round-2 report, item 11: header names are case-insensitive, so is the flag.
    @Test(arguments: ["Forwarded", "X-Forwarded-For"])
    func theForwardedHeaderFlagIgnoresCase(_ name: String) throws {
        let server = try Running(["--forwarded-header", name])
        #expect(server.server.isListening)
        _ = server.stop()
    }

    /// Item 8: trusting every address is allowed but warned about on standard error.
    @Test(arguments: ["0.0.0.0/0", "::/0"])
    func trustingEveryAddressIsWarnedAbout(_ range: String) throws {
        let server = try Running(["--trusted-proxy", range])
        let errors = server.stop()
        #expect(errors.contains("warning") && errors.contains(range), "\(errors)")
    }
}
