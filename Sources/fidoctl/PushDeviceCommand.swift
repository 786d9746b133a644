import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Push
import WebAuthn

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

        func run() async throws {
            guard let (ticket, secret, _) = PushDeviceState.parseEnrollmentURI(self.uri),
                var device = PushDeviceState.new(uri: self.uri, name: self.name)
            else {
                throw ValidationError("\(self.uri) is not a fidokit-push://enroll URI with ticket, secret and server")
            }
            let registration: [String: String] = [
                "ticket": ticket, "secret": secret,
                "publicKey": Base64URL.encode(try device.key().publicKey.x963Representation),
                "pushToken": device.pushToken, "name": device.name,
            ]
            try device.save(self.state)
            guard self.send else {
                try PushDeviceHTTP.printJSON(registration)
                return
            }
            let reply = try await PushDeviceHTTP.post(device.server, "api/push/devices", registration)
            guard let id = reply["deviceId"] as? String else {
                throw CommandFailure(.refused, "The server's answer has no deviceId.")
            }
            device.deviceID = id
            try device.save(self.state)
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
                "api/push/transactions/\(transactionID)/answer",
                answer
            )
            try PushDeviceHTTP.printJSON(reply)
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

    static func inbox(_ device: PushDeviceState) async throws -> [[String: Any]] {
        let reply = try await Self.request(.GET, device.server, "api/push/inbox/\(device.pushToken)", body: nil)
        return reply["transactions"] as? [[String: Any]] ?? []
    }

    static func post(_ server: String, _ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await Self.request(.POST, server, path, body: try JSONSerialization.data(withJSONObject: body))
    }

    static func request(_ method: HTTPMethod, _ server: String, _ path: String, body: Data?) async throws
        -> [String: Any]
    {
        guard let base = URL(string: server) else { throw ValidationError("\(server) is not a URL") }
        var request = HTTPClientRequest(url: base.appendingPathComponent(path).absoluteString)
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
            let response = try await client.execute(request, timeout: .seconds(15))
            result = .success((response.status.code, try await response.body.collect(upTo: 1 << 20)))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        let (status, bytes): (UInt, ByteBuffer)
        do {
            (status, bytes) = try result.get()
        } catch {
            throw CommandFailure(.unavailable, "Cannot reach \(server): \(error).")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        guard (200..<300).contains(Int(status)) else {
            let error = object["error"] as? [String: Any]
            throw PushDeviceFailure(
                status: Int(status),
                code: error?["code"] as? String ?? "http_error",
                message: error?["message"] as? String ?? "the server answered \(status)"
            )
        }
        return object
    }
}

/// The server refused a device request.
struct PushDeviceFailure: Error, CustomStringConvertible {
    var status: Int
    var code: String
    var message: String
    var description: String { "\(self.code) (HTTP \(self.status)): \(self.message)" }
}
