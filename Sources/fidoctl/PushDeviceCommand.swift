import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Push
import WebAuthn

#if canImport(Glibc)
    import Glibc
#endif

/// `fidoctl push-device`: plays the phone of Guardian-style push approval, for tests and demos.
///
/// Offline, each command prints the JSON the phone would send (scripts hand it to the server
/// themselves); with `--send` it talks to the server's device API: `POST /api/push/devices`,
/// `GET /api/push/inbox/{pushToken}`, `POST /api/push/transactions/{id}/answer`.
struct PushDeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-device",
        abstract: "Simulate a phone for push approval: enroll with a ticket, then approve or deny sign-ins.",
        subcommands: [Enroll.self, Approve.self, Deny.self, Inbox.self]
    )

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a device key for an enrollment ticket (the QR code's fidokit-push:// URI).",
            discussion: """
                Prints the registration JSON; with --send, registers it with the server and keeps the device id.

                Example:
                  fidoctl push-device enroll --uri 'fidokit-push://enroll?…' --state phone.json --send
                """
        )

        @Option(help: "The enrollment URI from the profile page's QR code.")
        var uri: String

        @Option(help: "Where the simulated phone keeps its key and ids (written 0600).")
        var state: String

        @Option(help: "The phone's name as the member will see it.")
        var name: String = "fidoctl simulated phone"

        @Flag(help: "Register with the server named in the URI.")
        var send = false

        @Flag(help: "Replace an existing --state file (its device key is lost).")
        var force = false

        func validate() throws {
            do throws(PushEnrollmentURI.Refusal) {
                _ = try PushEnrollmentURI(self.uri)
            } catch {
                throw ValidationError(
                    "--uri is not a usable fidokit-push://enroll?ticket=…&secret=…&server=… URI: \(error.reason)."
                )
            }
            // The state holds the device's private key: a regular file or a new name, never a
            // link or a special file (which --force does not change either).
            if let refusal = OutputFile.notRegular(self.state) {
                throw ValidationError("--state \(Terminal.escaped(self.state)) \(refusal).")
            }
            var status = stat()
            if lstat(self.state, &status) == 0, !self.force {
                throw ValidationError(
                    "--state \(Terminal.escaped(self.state)) already exists (another phone's key); give --force to replace it."
                )
            }
            try OutputFile.check(self.state, kind: .regularOnly)
            guard !self.name.isEmpty, !self.name.unicodeScalars.contains(where: Terminal.isUnsafe) else {
                throw ValidationError("--name must not be empty nor hold control characters.")
            }
        }

        func run() async throws {
            let uri: PushEnrollmentURI
            do throws(PushEnrollmentURI.Refusal) {
                uri = try PushEnrollmentURI(self.uri)
            } catch {
                throw ValidationError("--uri is not usable: \(error.reason).")
            }
            var device = PushDeviceState.new(uri: uri, name: self.name)
            let registration: [String: String] = [
                "ticket": uri.ticket, "secret": uri.secret,
                "publicKey": Base64URL.encode(try device.key().publicKey.x963Representation),
                "pushToken": device.pushToken, "name": device.name,
            ]
            guard self.send else {
                // Offline, the state is kept now: the script registers the printed JSON itself.
                try device.save(self.state)
                try PushDeviceHTTP.printJSON(registration)
                return
            }
            // The key is kept before the server hears of it: once registered, the ticket is used
            // up, so a failure afterwards (a lost answer, an unwritable file) must not lose it.
            var status = stat()
            let existed = lstat(self.state, &status) == 0
            try device.save(self.state)
            let kept = "The device key is kept in \(Terminal.escaped(self.state)) (without a device id)."
            let reply: [String: Any]
            do {
                reply = try await PushDeviceHTTP.post(device.server, "api/push/devices", registration)
            } catch {
                if PushDeviceHTTP.certainlyNotRegistered(error) {
                    // Nothing reached the server, or it refused the ticket: the key is of no use.
                    // Only a file this run created goes (a replaced one's old key is gone anyway).
                    if !existed { _ = unlink(self.state) }
                } else {
                    Output.error(kept + "\n")
                }
                throw error
            }
            guard let id = reply["deviceId"] as? String, !id.isEmpty else {
                throw CommandFailure(
                    .unavailable,
                    "The server's answer has no deviceId. (Is \(Terminal.escaped(device.server)) an mfa-server?) \(kept)"
                )
            }
            if let refusal = PushPathSegment.refusal(id) {
                throw CommandFailure(
                    .unavailable,
                    "The server's deviceId \(Terminal.escaped(id)) cannot be used: \(refusal). \(kept)"
                )
            }
            device.deviceID = id
            do throws(CommandFailure) {
                try device.save(self.state)
            } catch {
                throw CommandFailure(
                    error.status,
                    "\(error.message) The device is registered as \(Terminal.escaped(id)); \(kept) Pass --device-id \(Terminal.escaped(id)) to approve or deny."
                )
            }
            try PushDeviceHTTP.printJSON(["deviceId": id])
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a sign-in, typing the number shown on the sign-in page.",
            discussion: """
                Example:
                  fidoctl push-device approve --state phone.json --send --number 42
                """
        )
        @OptionGroup var options: AnswerOptions
        func run() async throws { try await self.options.answer(approve: true) }
    }

    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deny a sign-in.",
            discussion: """
                Example:
                  fidoctl push-device deny --state phone.json --send
                """
        )
        @OptionGroup var options: AnswerOptions
        func run() async throws { try await self.options.answer(approve: false) }
    }

    struct AnswerOptions: ParsableArguments {
        @Option(help: "The simulated phone's state file (from enroll).")
        var state: String

        @Option(help: "The sign-in's transaction id (default with --send: the newest in the inbox).")
        var transaction: String?

        @Option(help: "The number shown on the sign-in page (needed to approve).")
        var number: Int?

        @Option(help: "The device id, when enroll ran without --send.")
        var deviceID: String?

        @Flag(help: "Send the answer to the server.")
        var send = false

        /// The outcomes of openapi.yaml's `DeviceAnswerOutcome`.
        static let outcomes: Set<String> = ["approved", "denied", "number_mismatch"]

        /// The numbers a sign-in page shows (openapi.yaml's `PushStarted.number`).
        static let numbers = 10...99

        func validate() throws {
            for (option, value) in [("--transaction", self.transaction), ("--device-id", self.deviceID)] {
                if let value, let refusal = PushPathSegment.refusal(value) {
                    throw ValidationError("\(option) \(Terminal.escaped(value)) is not an id: \(refusal).")
                }
            }
            if let number = self.number, !Self.numbers.contains(number) {
                throw ValidationError(
                    "--number must be the two-digit number shown on the sign-in page (\(Self.numbers.lowerBound)–\(Self.numbers.upperBound))."
                )
            }
        }

        func answer(approve: Bool) async throws {
            var device = try PushDeviceState.load(self.state)
            if let deviceID = self.deviceID { device.deviceID = deviceID }
            guard let deviceID = device.deviceID else {
                throw ValidationError("the device id is unknown: enroll with --send, or pass --device-id")
            }
            guard !approve || self.number != nil else { throw ValidationError("approving needs --number") }
            let transactionID: String
            if let given = self.transaction {
                transactionID = given
            } else if self.send, let newest = try await PushDeviceHTTP.inbox(device).last?["transactionId"] as? String {
                transactionID = newest
            } else {
                throw CommandFailure(.refused, "No --transaction given and none waiting in the inbox.")
            }
            let number = self.number ?? 0
            let statement = PushTransaction.statement(
                transactionID: transactionID,
                approve: approve,
                typedNumber: number
            )
            let signature = try device.key().signature(for: statement).derRepresentation
            let answer: [String: Any] = [
                "transactionId": transactionID, "deviceId": deviceID, "approve": approve, "number": number,
                "signature": Base64URL.encode(signature),
            ]
            guard self.send else {
                try PushDeviceHTTP.printJSON(answer)
                return
            }
            let reply = try await PushDeviceHTTP.post(
                device.server,
                "api/push/transactions/\(PushPathSegment.encoded(transactionID))/answer",
                answer
            )
            try PushDeviceHTTP.printJSON(reply)
            // The answer was taken but did not do what was asked (a wrong number denies): no.
            // An outcome the device API does not define is a broken answer, not a refusal.
            let wanted = approve ? "approved" : "denied"
            guard let outcome = reply["outcome"] as? String, Self.outcomes.contains(outcome) else {
                let got = reply["outcome"].map { Terminal.escaped("\($0)") }.map { "outcome \($0)" } ?? "no outcome"
                throw CommandFailure(
                    .unavailable,
                    "The server's answer has \(got), not one of the device API's (\(Self.outcomes.sorted().joined(separator: ", "))); was the answer taken?"
                )
            }
            guard outcome == wanted else {
                throw CommandFailure(.refused, "The server's outcome is \(Terminal.escaped(outcome)), not \(wanted).")
            }
        }
    }

    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the sign-in requests waiting for the simulated phone (from the server).",
            discussion: """
                A server that cannot be reached fails within a few seconds (exit 69).

                Example:
                  fidoctl push-device inbox --state phone.json
                """
        )

        @Option(help: "The simulated phone's state file.")
        var state: String

        func run() async throws {
            try PushDeviceHTTP.printJSON([
                "transactions": try await PushDeviceHTTP.inbox(try PushDeviceState.load(self.state))
            ])
        }
    }
}

/// The simulated phone's few HTTP calls, as JSON.
enum PushDeviceHTTP {
    static func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try Output.line(String(decoding: data, as: UTF8.self))
    }

    /// The waiting requests, checked against openapi.yaml's `Inbox`: an answer that is not
    /// one is an error (exit 69), never an empty inbox — the server hands each request out once.
    static func inbox(_ device: PushDeviceState) async throws -> [[String: Any]] {
        let path = "api/push/inbox/\(PushPathSegment.encoded(device.pushToken))"
        let reply = try await Self.request(.GET, device.server, path, body: nil)
        func malformed(_ why: String) -> CommandFailure {
            CommandFailure(.unavailable, "The server's inbox answer is not the device API's Inbox (\(why)).")
        }
        guard let items = reply["transactions"] as? [Any] else { throw malformed("no transactions array") }
        return try items.map { item throws(CommandFailure) -> [String: Any] in
            guard let entry = item as? [String: Any] else { throw malformed("an entry is not an object") }
            for field in ["transactionId", "browser", "ipAddress", "expiresAt"] {
                guard let value = entry[field] as? String, field != "transactionId" || !value.isEmpty else {
                    throw malformed("an entry has no \(field) string")
                }
            }
            if let id = entry["transactionId"] as? String, let refusal = PushPathSegment.refusal(id) {
                throw malformed("an entry's transactionId \(Terminal.escaped(id)) cannot be used: \(refusal)")
            }
            return entry
        }
    }

    static func post(_ server: String, _ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await Self.request(.POST, server, path, body: try JSONSerialization.data(withJSONObject: body))
    }

    static func request(_ method: HTTPMethod, _ server: String, _ path: String, body: Data?) async throws
        -> [String: Any]
    {
        // `path` holds only fixed words and checked, encoded segments; the server URL has no
        // query, fragment or user info (PushEnrollmentURI.checkServer), so this is plain text.
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        var request = HTTPClientRequest(url: base + "/" + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        // A refused or unreachable server fails at once (no retries with backoff) or after a
        // few seconds, not after the whole request's deadline.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(3), read: .seconds(15))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: Result<(UInt, ByteBuffer), any Error>
        do {
            let answer = try await Self.exchange(request, client: client)
            result = .success((answer.status, answer.body))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        let (status, bytes): (UInt, ByteBuffer)
        do {
            (status, bytes) = try result.get()
        } catch is NIOTooManyBytesError {
            // Reached: the answer was too large, which is not a connection failure.
            throw CommandFailure(
                .unavailable,
                "\(Terminal.escaped(server)) answered with more than 1 MiB; the device API's answers are small."
            )
        } catch {
            throw CommandFailure(.unavailable, "Cannot reach \(Terminal.escaped(server)): \(Self.describe(error)).")
        }
        let answer = StrictJSON.object(Array(bytes.readableBytesView))
        let object = (try? answer.get()) ?? [:]
        guard (200..<300).contains(Int(status)) else {
            let error = object["error"] as? [String: Any]
            guard (400..<500).contains(Int(status)) else {
                // A server error or a redirect is not the server saying no: it is not working (69).
                let detail = (error?["message"] as? String).map { ": " + Terminal.escaped($0) } ?? ""
                throw CommandFailure(
                    .unavailable,
                    "\(Terminal.escaped(server)) was reached but answered HTTP \(status)\(detail); the request was not carried out."
                )
            }
            throw PushDeviceFailure(
                status: Int(status),
                code: Terminal.escaped(error?["code"] as? String ?? "http_error"),
                message: Terminal.escaped(error?["message"] as? String ?? "the server answered \(status)")
            )
        }
        switch answer {
        case .success(let parsed):
            return parsed
        case .failure(let refused):
            throw CommandFailure(
                .unavailable,
                "The server's answer (HTTP \(status)) cannot be used: \(refused.reason); \(Terminal.escaped(server)) does not speak the device API."
            )
        }
    }

    /// Whether a failed request certainly registered nothing: the connection was refused, or
    /// the server answered with a refusal (4xx). A timeout or a broken answer may come after
    /// the server acted, so those keep what was sent.
    static func certainlyNotRegistered(_ error: any Error) -> Bool {
        if let refusal = error as? PushDeviceFailure { return (400..<500).contains(refusal.status) }
        if let failure = error as? CommandFailure { return failure.message.hasSuffix(": the connection was refused.") }
        return false
    }

    /// The longest a whole exchange may take, head and body: a server dripping its answer a
    /// byte at a time is cut off, not waited for forever.
    static let exchangeDeadline = TimeAmount.seconds(15)

    /// Sends `request` and collects the answer (status, headers, body), all within `limit`:
    /// the head's wait and the body's together, whatever pace the server sends at.
    static func exchange(
        _ request: HTTPClientRequest,
        client: HTTPClient,
        within limit: TimeAmount = Self.exchangeDeadline
    ) async throws -> (status: UInt, headers: HTTPHeaders, body: ByteBuffer) {
        let deadline = NIODeadline.now() + limit
        return try await withThrowingTaskGroup(of: (UInt, HTTPHeaders, ByteBuffer)?.self) { group in
            group.addTask {
                let response = try await client.execute(request, deadline: deadline)
                return (response.status.code, response.headers, try await response.body.collect(upTo: 1 << 20))
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(limit.nanoseconds, 0)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                throw ExchangeTimeout()
            }
            return answer
        }
    }

    /// The whole exchange took longer than ``exchangeDeadline``.
    struct ExchangeTimeout: Error, CustomStringConvertible {
        var description: String { "timed out" }
    }

    /// A plain sentence for a failed connection, never a Swift error's dump (NIO's and
    /// BoringSSL's error values are no sentences).
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("refused") { return "the connection was refused" }
        let lowered = text.lowercased()
        if lowered.contains("timeout") || lowered.contains("timed out") || lowered.contains("deadline") {
            return "it did not answer in time"
        }
        if text.contains("reset") { return "the connection was reset" }
        if lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("certificate") {
            return "the TLS handshake failed (is the server's certificate trusted, and does it speak https?)"
        }
        if lowered.contains("resolve") || lowered.contains("dns") || lowered.contains("lookup") {
            return "its host name cannot be resolved"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("closed") || lowered.contains("eof") {
            return "the server closed the connection without a whole answer"
        }
        if lowered.contains("invalid") || lowered.contains("http parser") || lowered.contains("httpparser") {
            return "the server's answer is not valid HTTP"
        }
        return "the connection failed"
    }
}

/// The server refused a device request.
struct PushDeviceFailure: Error, CustomStringConvertible {
    var status: Int
    var code: String
    var message: String
    var description: String { "\(self.code) (HTTP \(self.status)): \(self.message)" }
}
