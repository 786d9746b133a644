import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SoftwareWebAuthn
import StreamingJSON
import Synchronization
import WebAuthn

/// `fidoctl bench server`: the load generator for `mfa-server`. It signs in many members over
/// HTTP, enrolls a software security key for each through the API, then runs full WebAuthn
/// assertion ceremonies — `POST /api/mfa/webauthn/options`, the key's signature,
/// `POST /api/mfa/webauthn/verify` (challenge consumed, signature and counter checked, counter
/// stored) — from many concurrent clients, and reports ceremonies per second, p50/p99 latency
/// of a whole ceremony, and errors.
struct BenchServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Load-test a running mfa-server with WebAuthn assertion ceremonies over HTTP.",
        discussion: """
            Example:
              fidoctl bench server --url http://127.0.0.1:8080 --admin-password-file admin.txt
            """
    )

    @Option(help: "The server's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "The origin the pages are served from (the server's --origin).")
    var origin = "http://localhost:8080"

    @Option(help: "An admin's e-mail address (to create the members).")
    var adminEmail = "admin@example.com"

    @Option(help: "A file holding the admin's password.")
    var adminPasswordFile: String

    @Option(help: "Members signing in (each with its own security key).")
    var members = 64

    @Option(help: "Concurrent clients.")
    var concurrency = 32

    @Option(help: "Seconds to measure (after a one-second warm-up).")
    var seconds = 10.0

    @Flag(help: "Print the figures as JSON.")
    var json = false

    /// One member's browser: cookie, CSRF token and key.
    struct Member: Sendable {
        var cookie: String
        var csrf: String
        var key: SoftwareSecurityKey
    }

    func validate() throws {
        guard (1...100_000).contains(self.members) else { throw ValidationError("--members must be from 1 to 100000.") }
        guard self.seconds > 0, self.seconds <= 86_400 else {
            throw ValidationError("--seconds must be more than 0 and at most 86400.")
        }
        guard (1...4_096).contains(self.concurrency) else {
            throw ValidationError("--concurrency must be from 1 to 4096.")
        }
        do throws(PushEnrollmentURI.Refusal) {
            try PushEnrollmentURI.checkServer(self.url)
        } catch {
            throw ValidationError(
                "--url is not usable: \(error.reason.replacingOccurrences(of: "its server", with: "it"))."
            )
        }
    }

    func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(60),
                    concurrentHTTP1ConnectionsPerHostSoftLimit: self.concurrency
                )
            )
        )
        do {
            try await self.measure(LoadClient(client: client, base: self.url))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func measure(_ http: LoadClient) async throws {
        let secret = try InputReader.secretFile(
            self.adminPasswordFile,
            limit: InputReader.smallFileLimit,
            what: "the admin password file"
        )
        guard let text = String(validating: secret, as: UTF8.self) else {
            throw CommandFailure(.dataError, "Cannot use the admin password file: it is not UTF-8 text.")
        }
        let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let admin = try await http.signIn(email: self.adminEmail, password: password)
        let run = UUID().uuidString.prefix(8).lowercased()
        Output.error("setting up \(self.members) members…\n")
        var members: [Member] = []
        for index in 0..<self.members {
            let email = "load-\(run)-\(index)@example.com"
            let memberPassword = "load password \(run)"
            _ = try await http.call(
                .POST,
                "/api/tenant/members",
                session: admin,
                body: ["email": email, "password": memberPassword, "displayName": "Load \(index)"]
            )
            let session = try await http.signIn(email: email, password: memberPassword)
            let key = SoftwareSecurityKey()
            let options = try JSONDecoder().decode(
                PublicKeyCredentialCreationOptionsJSON.self,
                from: try await http.call(
                    .POST,
                    "/api/me/factors/webauthn/options",
                    session: session,
                    body: ["attachment": "cross-platform"]
                ).body
            )
            let registration = try key.register(options, origin: self.origin)
            _ = try await http.call(
                .POST,
                "/api/me/factors/webauthn/verify",
                session: session,
                raw: try JSONEncoder().encode(registration)
            )
            members.append(Member(cookie: session.cookie, csrf: session.csrf, key: key))
        }
        let recorder = LoadRecorder()
        Output.error("measuring for 1 + \(self.seconds) s with \(self.concurrency) clients…\n")
        let origin = self.origin
        let start = ContinuousClock.now
        let warmUpEnd = start + .seconds(1)
        let end = warmUpEnd + .milliseconds(Int(self.seconds * 1_000))
        let workers = self.concurrency
        let everyone = members
        let url = self.url
        // Each client is a thread with its own keep-alive connection (see `LoadConnection`), and
        // cycles through its own members, so one member's ceremonies never overlap.
        let finished = DispatchGroup()
        for worker in 0..<workers {
            let mine = Array(stride(from: worker, to: everyone.count, by: workers)).map { everyone[$0] }
            guard !mine.isEmpty else { continue }
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                let client: LoadCeremonyClient
                do {
                    client = try LoadCeremonyClient(url: url, origin: origin)
                } catch {
                    recorder.record(error)
                    return
                }
                var round = 0
                while ContinuousClock.now < end {
                    let member = mine[round % mine.count]
                    round += 1
                    let began = ContinuousClock.now
                    do {
                        try client.ceremony(member)
                        let elapsed = ContinuousClock.now - began
                        if began >= warmUpEnd, ContinuousClock.now <= end { recorder.record(elapsed) }
                    } catch {
                        if began >= warmUpEnd { recorder.record(error) }
                    }
                }
            }
            thread.start()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            finished.notify(queue: .global()) { continuation.resume() }
        }
        let (sorted, failures) = recorder.results()
        let count = sorted.count
        let rate = Double(count) / self.seconds
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        let errorCount = failures.values.reduce(0, +)
        if self.json {
            let report: [String: Any] = [
                "ceremonies": count, "ceremoniesPerSecond": rate, "p50Milliseconds": percentile(0.5),
                "p99Milliseconds": percentile(0.99), "errors": errorCount, "members": self.members,
                "concurrency": self.concurrency, "seconds": self.seconds,
            ]
            try Output.line(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]),
                    as: UTF8.self
                )
            )
        } else {
            try Output.line(
                String(
                    format: "WebAuthn assertion ceremonies: %.0f /s (%d in %.0f s, %d members, %d clients)",
                    rate,
                    count,
                    self.seconds,
                    self.members,
                    self.concurrency
                )
            )
            try Output.line(
                String(
                    format: "latency per ceremony (options + sign + verify): p50 %.1f ms, p99 %.1f ms",
                    percentile(0.5),
                    percentile(0.99)
                )
            )
            try Output.line("errors: \(errorCount)")
        }
        for (error, times) in failures.sorted(by: { $0.value > $1.value }).prefix(5) {
            Output.error("  \(times)× \(Terminal.escaped("\(error)"))\n")
        }
        if errorCount > 0 { throw ExitCode(1) }
    }
}

/// The HTTP calls of the load generator.
struct LoadClient: Sendable {
    /// A signed-in browser session.
    struct Session: Sendable {
        var cookie: String
        var csrf: String
    }

    /// A refused request.
    struct Failure: Error, CustomStringConvertible {
        var status: UInt
        var body: String
        var description: String { "HTTP \(self.status) \(self.body.prefix(120))" }
    }

    let client: HTTPClient
    let base: String

    func call(
        _ method: HTTPMethod,
        _ path: String,
        session: Session?,
        body: [String: String]? = nil,
        raw: Data? = nil
    ) async throws -> (body: Data, cookie: String?) {
        var request = HTTPClientRequest(url: self.base + path)
        request.method = method
        if let session {
            request.headers.add(name: "Cookie", value: "fidokit_session=\(session.cookie)")
            request.headers.add(name: "X-CSRF-Token", value: session.csrf)
        }
        if let data = try raw ?? body.map({ try JSONSerialization.data(withJSONObject: $0) }) {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        // The whole exchange, body included, within 30 s: a dripping server is cut off.
        let response: (status: UInt, headers: HTTPHeaders, body: ByteBuffer)
        do {
            response = try await PushDeviceHTTP.exchange(request, client: self.client, within: .seconds(30))
        } catch is PushDeviceHTTP.ExchangeTimeout {
            throw CommandFailure(.unavailable, "\(Terminal.escaped(self.base)) did not answer \(path) within 30 s.")
        } catch {
            // Refused, reset, unresolvable, TLS: the server is not there to measure (69).
            throw CommandFailure(
                .unavailable,
                "\(Terminal.escaped(self.base)) cannot be reached for \(path): \(PushDeviceHTTP.describe(error))."
            )
        }
        let bytes = Data(response.body.readableBytesView)
        guard (200..<300).contains(response.status) else {
            throw Failure(status: response.status, body: String(decoding: bytes, as: UTF8.self))
        }
        if !bytes.isEmpty, let reason = StrictJSON.refusal(Array(bytes)) {
            throw CommandFailure(
                .unavailable,
                "\(Terminal.escaped(self.base)) answered \(path) with JSON that cannot be used: \(reason)."
            )
        }
        let cookie = response.headers["Set-Cookie"].first { $0.hasPrefix("fidokit_session=") }
            .map { String($0.dropFirst("fidokit_session=".count).prefix { $0 != ";" }) }
        return (bytes, cookie)
    }

    /// `GET /api/csrf` then `POST /api/session`.
    func signIn(email: String, password: String) async throws -> Session {
        let (csrfBody, csrfCookie) = try await self.call(.GET, "/api/csrf", session: nil)
        let token = (try JSONSerialization.jsonObject(with: csrfBody) as? [String: Any])?["csrfToken"] as? String ?? ""
        let (body, cookie) = try await self.call(
            .POST,
            "/api/session",
            session: Session(cookie: csrfCookie ?? "", csrf: token),
            body: ["email": email, "password": password]
        )
        let state = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        return Session(cookie: cookie ?? "", csrf: state?["csrfToken"] as? String ?? "")
    }

}

/// The measured part of the load: full assertion ceremonies of signed-in members (a
/// re-verification: the session stays) over one worker thread's own connection.
final class LoadCeremonyClient {
    private let connection: LoadConnection
    private let prefix: String
    private let origin: String
    private let encoder = StreamingJSONEncoder()

    init(url: String, origin: String) throws {
        self.connection = try LoadConnection(url: url)
        self.prefix = URLComponents(string: url)?.path ?? ""
        self.origin = origin
    }

    /// `POST /api/mfa/webauthn/options`, the key's signature, `POST /api/mfa/webauthn/verify`.
    func ceremony(_ member: BenchServer.Member) throws {
        let cookie = ("Cookie", "fidokit_session=\(member.cookie)")
        let csrf = ("X-CSRF-Token", member.csrf)
        let options = try self.connection.send(
            method: "POST",
            path: self.prefix + "/api/mfa/webauthn/options",
            headers: [cookie, csrf],
            body: []
        )
        guard options.status == 200 else {
            throw LoadClient.Failure(status: UInt(options.status), body: String(decoding: options.body, as: UTF8.self))
        }
        let request = try PublicKeyCredentialRequestOptionsJSON(loadResponse: options.body)
        let assertion = try member.key.authenticate(request, origin: self.origin)
        let verified = try self.connection.send(
            method: "POST",
            path: self.prefix + "/api/mfa/webauthn/verify",
            headers: [cookie, csrf, ("Content-Type", "application/json")],
            body: Array(try self.encoder.encode(assertion))
        )
        guard (200..<300).contains(verified.status) else {
            throw LoadClient.Failure(
                status: UInt(verified.status),
                body: String(decoding: verified.body, as: UTF8.self)
            )
        }
    }
}

/// Latencies and errors of the measured ceremonies.
final class LoadRecorder: Sendable {
    private let latencies = Mutex<[Double]>([])
    private let errors = Mutex<[String: Int]>([:])

    func record(_ elapsed: Duration) {
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        self.latencies.withLock { $0.append(milliseconds) }
    }

    func record(_ error: any Error) {
        self.errors.withLock { $0["\(error)", default: 0] += 1 }
    }

    /// Sorted latencies in milliseconds, and error counts by description.
    func results() -> ([Double], [String: Int]) {
        (self.latencies.withLock { $0 }.sorted(), self.errors.withLock { $0 })
    }
}
