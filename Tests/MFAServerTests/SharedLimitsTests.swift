import Foundation
import MFAFactors
import MFAPolicy
import MFAServer
import MFAStore
import MFAStoreTestSupport
import RecoveryCode
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sign-in limits live in the store (issue 13, 2.7): every server sharing PostgreSQL counts the
/// same failures, and a restart forgets no lock — shown with the real `mfa-server` binary.
@Suite(.serialized)
struct SharedLimitsTests {
    @Test func twoDashboardsOnOneStoreCountTheSameFailures() async throws {
        let (store, cleanUp) = try await StoreKind.postgres.make()
        defer { cleanUp() }
        let first = Dashboard(accounts: try Accounts(store: store, hashParameters: .testing), factors: try Self.factors(store))
        let second = Dashboard(accounts: try Accounts(store: store, hashParameters: .testing), factors: try Self.factors(store))
        let tenant = try await first.accounts.createTenant(name: "T", settings: .init(enabledFactors: [.otp]))
        _ = try await first.accounts.createMember(
            tenantID: tenant.id,
            email: "gina@example.com",
            displayName: "Gina",
            password: "gina's password",
            role: .member
        )
        for index in 0..<10 {
            let dashboard = index.isMultiple(of: 2) ? first : second
            await #expect(throws: APIError.self) {
                _ = try await dashboard.signIn(email: "gina@example.com", password: "wrong", address: "198.51.100.\(index)", previousToken: nil)
            }
        }
        for dashboard in [first, second] {
            do {
                _ = try await dashboard.signIn(email: "gina@example.com", password: "gina's password", address: "198.51.100.99", previousToken: nil)
                Issue.record("a locked account signed in")
            } catch let error as APIError {
                #expect(error.code == "too_many_attempts" && (error.retryAfter ?? 0) > 0)
            }
        }
        // Parallel wrong guesses on a fresh account never get more than the limit's worth of tries.
        _ = try await first.accounts.createMember(
            tenantID: tenant.id,
            email: "hal@example.com",
            displayName: "Hal",
            password: "hal's password",
            role: .member
        )
        let tried = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    do {
                        _ = try await (index.isMultiple(of: 2) ? first : second).signIn(
                            email: "hal@example.com",
                            password: "wrong",
                            address: "203.0.113.\(index)",
                            previousToken: nil
                        )
                        return true
                    } catch let error as APIError {
                        return error.code == "invalid_credentials"
                    } catch {
                        return false
                    }
                }
            }
            var tried = 0
            for await wasTried in group where wasTried { tried += 1 }
            return tried
        }
        #expect(tried == 10)
    }

    static func factors(_ store: any RecordStore) throws -> FactorDirectory {
        let configuration = ServerConfiguration(
            dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)").path,
            hashParameters: .testing
        )
        return try MFAServerApp.dashboard(configuration, store: store, environment: [:]).factors
    }

    @Test func failuresOnOneServerCountOnAnotherSharingPostgreSQL() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["FIDOKIT_POSTGRES_URL"])
        // A member of its own tenant in the shared database (the servers see every record).
        let store = try await PostgresRecordStore(url: url)
        defer { store.shutdown() }
        let accounts = try Accounts(store: store, hashParameters: .testing)
        let email = "limits-\(UUID().uuidString.lowercased())@example.com"
        let tenant = try await accounts.createTenant(name: "Limits test", settings: .init(enabledFactors: [.otp]))
        _ = try await accounts.createMember(tenantID: tenant.id, email: email, displayName: "", password: "the password", role: .member)
        // This address's bucket is shared by every run: start it empty.
        try await RateLimiter(limit: 50, window: 300, scope: "sign-in-address", store: store).reset("127.0.0.1")

        let a = try ServerProcess(database: url)
        defer { a.stop() }
        let b = try ServerProcess(database: url)
        defer { b.stop() }
        // Ten failures, alternating between the servers: the account locks on both.
        for index in 0..<10 {
            let status = try await (index.isMultiple(of: 2) ? a : b).signIn(email, "wrong")
            #expect(status == 401)
        }
        #expect(try await a.signIn(email, "the password") == 429)
        #expect(try await b.signIn(email, "the password") == 429)
    }

    @Test func aLockSurvivesARestartOnSQLite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try ServerProcess(directory: directory)
        for _ in 0..<10 { #expect(try await first.signIn(ServerHarness.adminEmail, "wrong") == 401) }
        #expect(try await first.signIn(ServerHarness.adminEmail, ServerHarness.adminPassword) == 429)
        first.stop()
        let second = try ServerProcess(directory: directory)
        defer { second.stop() }
        #expect(try await second.signIn(ServerHarness.adminEmail, ServerHarness.adminPassword) == 429)
    }
}

/// A real `mfa-server` process on a free port, and a client for its sign-in.
final class ServerProcess: @unchecked Sendable {
    let server: RealServer
    let directory: URL
    var port: Int { self.server.port }

    /// Starts the binary built next to the test bundle, with `database` (default: SQLite in
    /// `directory`), and waits until it listens.
    init(database: String? = nil, directory: URL? = nil) throws {
        self.directory =
            directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let passwordFile = self.directory.appendingPathComponent("admin-password")
        try Data(ServerHarness.adminPassword.utf8).write(to: passwordFile)
        // Private, as the server insists (a password file others can read stops it).
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let port = RealServer.freePort()
        var arguments = [
            "--data-directory", self.directory.path, "--admin-password-file", passwordFile.path, "--origin",
            "http://localhost:\(port)",
            // Other tests share the PostgreSQL database and leave expired records on purpose.
            "--sweep-interval", "0",
        ]
        if let database { arguments += ["--database", database] }
        self.server = try RealServer(port: port, arguments: arguments)
        guard self.server.isListening else { throw StoreError.database("mfa-server stopped: \(self.server.output)") }
    }

    func stop() {
        self.server.stop()
    }

    /// One request; returns the status, the body and the session cookie set, if any.
    func request(_ method: String, _ path: String, json: Any? = nil, cookie: String?, csrf: String?) async throws
        -> (status: Int, body: [String: Any], cookie: String?)
    {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(self.port)\(path)")))
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue("fidokit_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        if let csrf { request.setValue(csrf, forHTTPHeaderField: "X-CSRF-Token") }
        request.setValue("http://localhost:\(self.port)", forHTTPHeaderField: "Origin")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        let session = URLSession(configuration: configuration)
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let setCookie = http.value(forHTTPHeaderField: "Set-Cookie").flatMap { header -> String? in
            guard let range = header.range(of: "fidokit_session=") else { return nil }
            return String(header[range.upperBound...].prefix { $0 != ";" })
        }
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (http.statusCode, body, setCookie)
    }

    /// A fresh browser's password sign-in: its status.
    func signIn(_ email: String, _ password: String) async throws -> Int {
        let csrf = try await self.request("GET", "/api/csrf", cookie: nil, csrf: nil)
        return try await self.request(
            "POST",
            "/api/session",
            json: ["email": email, "password": password],
            cookie: csrf.cookie,
            csrf: csrf.body["csrfToken"] as? String
        ).status
    }
}
