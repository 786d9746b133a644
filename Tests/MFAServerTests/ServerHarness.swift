import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import MFAStore
import MFAStoreTestSupport
import NIOCore
import OTP
import RecoveryCode
import SMS
import Testing

/// A server over a fresh store (SQLite or PostgreSQL), with cheap scrypt and an SMS outbox file,
/// and its first admin.
struct ServerHarness: Sendable {
    static let adminEmail = "admin@example.com"
    static let adminPassword = "correct horse battery staple"
    static let origin = "http://localhost:8080"

    let directory: URL
    let configuration: ServerConfiguration
    let store: any RecordStore
    let dashboard: Dashboard
    let cleanUp: @Sendable () -> Void

    static func make(
        _ kind: StoreKind = .sqlite,
        smsThrottle: SMSThrottle = SMSThrottle(),
        mfaAttemptsPerAddress: Int = 50
    ) async throws -> ServerHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfa-server-\(UUID().uuidString)")
        let (store, cleanUpStore) = try await kind.make()
        var configuration = ServerConfiguration(
            dataDirectory: directory.path,
            adminEmail: Self.adminEmail,
            adminPassword: Self.adminPassword,
            hashParameters: .testing
        )
        configuration.smsThrottle = smsThrottle
        configuration.mfaAttemptsPerAddress = mfaAttemptsPerAddress
        let dashboard = try MFAServerApp.dashboard(configuration, store: store, environment: [:])
        _ = try await MFAServerApp.bootstrap(dashboard, configuration: configuration)
        return ServerHarness(
            directory: directory,
            configuration: configuration,
            store: store,
            dashboard: dashboard,
            cleanUp: {
                cleanUpStore()
                try? FileManager.default.removeItem(at: directory)
            }
        )
    }

    /// Runs `body` against the in-process router.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: MFAServerApp.router(dashboard: self.dashboard, configuration: self.configuration))
        return try await app.test(.router) { client in try await body(client) }
    }

    /// The SMS codes sent so far, newest last.
    func smsCodes() throws -> [String] {
        let path = self.directory.appendingPathComponent("sms-outbox.jsonl")
        guard FileManager.default.fileExists(atPath: path.path) else { return [] }
        return try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map { line in
            String(try JSONDecoder().decode(SMSMessage.self, from: Data(line.utf8)).body.prefix(6))
        }
    }
}

/// One browser: its session cookie and CSRF token, sending JSON.
final class Browser: @unchecked Sendable {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data
        /// The body as a JSON object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any] ?? [:] }
        /// The error code of an error body.
        var errorCode: String? { (self.json["error"] as? [String: Any])?["code"] as? String }
        /// Decodes the body.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: self.body)
        }
    }

    let client: any TestClientProtocol
    var cookie: String?
    var csrf: String?
    var userAgent = "TestBrowser/1.0"

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Sends a request; keeps the session cookie the server sets.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil, csrf: Bool = true) async throws -> Reply {
        var headers: HTTPFields = [.userAgent: self.userAgent]
        if let cookie { headers[.cookie] = "fidokit_session=\(cookie)" }
        if csrf, let token = self.csrf { headers[HTTPField.Name("X-CSRF-Token")!] = token }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await self.client.execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(bytes: $0) }
        )
        for setCookie in response.headers[values: .setCookie] where setCookie.hasPrefix("fidokit_session=") {
            let value = setCookie.dropFirst("fidokit_session=".count).prefix { $0 != ";" }
            self.cookie = value.isEmpty ? nil : String(value)
        }
        let reply = Reply(
            status: response.status,
            headers: response.headers,
            body: Data(response.body.readableBytesView)
        )
        if let token = reply.json["csrfToken"] as? String { self.csrf = token }
        // Every answer must be the one openapi.yaml documents.
        if let contract = OpenAPIContract.shared {
            for problem in contract.check(method: method.rawValue, path: path, status: Int(reply.status.code), body: reply.body) {
                Issue.record("openapi.yaml: \(problem)")
            }
        } else {
            Issue.record("openapi.yaml could not be read")
        }
        return reply
    }

    /// Sends `object` as JSON.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, json object: Any, csrf: Bool = true) async throws -> Reply {
        try await self.send(method, path, body: try JSONSerialization.data(withJSONObject: object), csrf: csrf)
    }

    /// Sends an `Encodable` value as JSON.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, encoding value: some Encodable) async throws -> Reply {
        try await self.send(method, path, body: try JSONEncoder().encode(value))
    }

    /// Fetches a CSRF token (and a session cookie).
    func start() async throws {
        try await self.send(.get, "/api/csrf")
    }

    /// Starts and signs in with a password; returns the reply.
    @discardableResult
    func signIn(_ email: String = ServerHarness.adminEmail, _ password: String = ServerHarness.adminPassword)
        async throws -> Reply
    {
        if self.csrf == nil || self.cookie == nil { try await self.start() }
        return try await self.send(.post, "/api/session", json: ["email": email, "password": password])
    }

    /// Enrolls an authenticator app for the signed-in member, then signs out and in again so the
    /// next step is the MFA challenge; returns the app, a code that signs in (the step after the
    /// enrollment's) and the recovery code issued with it.
    func enrollTOTPAndSignInAgain() async throws -> (totp: TOTP, nextCode: String, recoveryCode: String?) {
        let secret = try Base32.decode(try await self.send(.post, "/api/me/factors/totp").json["secret"] as? String ?? "")
        let totp = try TOTP(secret: secret)
        let codes = totp.enrollmentAndNextCodes()
        let enrolled = try await self.send(.post, "/api/me/factors/totp/confirm", json: ["code": codes.enrollment])
        try await self.send(.delete, "/api/session")
        try await self.signIn()
        return (totp, codes.next, enrolled.json["recoveryCode"] as? String)
    }
}
