import Crypto
import FIDOKitTestSupport
import Foundation
import MFAFactors
import MFAStore
import Push
import Testing
import WebAuthn

/// `fidoctl push-device`: the simulated phone enrolls with a real ticket and answers real
/// transactions of the push service; with `--send` it speaks the device API over HTTP.
struct PushDeviceCommandTests {
    static func json(_ result: FidoctlRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func thePhoneEnrollsAndAnswersThroughTheService() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteRecordStore(path: directory.appendingPathComponent("mfa.sqlite").path)
        let notifier = LocalPushNotifier()
        let service = PushFactorService(store: store, notifier: notifier, server: URL(string: "https://dash.example.com")!)
        let state = directory.appendingPathComponent("phone.json").path

        let ticket = try await service.issueTicket(for: "ada")
        let enrolled = try FidoctlRunner.run(["push-device", "enroll", "--uri", ticket.uri, "--state", state, "--name", "Test phone"])
        #expect(enrolled.status == 0)
        let registration = try Self.json(enrolled)
        let attributes = try FileManager.default.attributesOfItem(atPath: state)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let device = try await service.register(
            ticketID: try #require(registration["ticket"] as? String),
            secret: try #require(registration["secret"] as? String),
            publicKey: try Self.bytes(registration["publicKey"]),
            pushToken: try #require(registration["pushToken"] as? String),
            name: try #require(registration["name"] as? String)
        )
        #expect(device.name == "Test phone")

        // Approve with the number shown.
        let first = try await service.start(memberID: "ada", context: .init(browser: "Chromium", ipAddress: "127.0.0.1", time: Date()))
        #expect(notifier.collect(deviceToken: device.pushToken).map(\.transactionID) == [first.id])
        let approval = try Self.json(
            FidoctlRunner.run([
                "push-device", "approve", "--state", state, "--transaction", first.id, "--number", String(first.number), "--device-id", device.id,
            ])
        )
        #expect(try await Self.apply(approval, service) == .approved)
        // A second delivery of the same answer is refused.
        await #expect(throws: PushError.transactionResolved) { try await Self.apply(approval, service) }

        // Deny.
        let second = try await service.start(memberID: "ada", context: .init(browser: "Chromium", ipAddress: "127.0.0.1", time: Date()))
        let denial = try Self.json(FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", second.id, "--device-id", device.id]))
        #expect(try await Self.apply(denial, service) == .denied)

        // The wrong number denies.
        let third = try await service.start(memberID: "ada", context: .init(browser: "Chromium", ipAddress: "127.0.0.1", time: Date()))
        let wrong = third.number == 99 ? 10 : third.number + 1
        let mismatch = try Self.json(
            FidoctlRunner.run(["push-device", "approve", "--state", state, "--transaction", third.id, "--number", String(wrong), "--device-id", device.id])
        )
        #expect(try await Self.apply(mismatch, service) == .numberMismatch)

        // Usage errors.
        #expect(try FidoctlRunner.run(["push-device", "approve", "--state", state, "--transaction", third.id, "--device-id", device.id]).status == 64)
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", "https://example.com", "--state", state]).status == 64)
        #expect(try FidoctlRunner.run(["push-device", "approve", "--state", state, "--transaction", third.id, "--number", "1"]).status == 64)
    }

    /// An inbox body as mfa-server sends it (openapi.yaml's `Inbox`).
    static func inbox(_ ids: [String]) -> String {
        let entries = ids.map {
            #"{"transactionId":"\#($0)","browser":"Chromium on Linux","ipAddress":"127.0.0.1","expiresAt":"2026-12-04T20:00:00Z"}"#
        }
        return #"{"transactions":["# + entries.joined(separator: ",") + "]}"
    }

    /// The bytes of a base64url JSON field.
    static func bytes(_ value: Any?) throws -> [UInt8] {
        let text = try #require(value as? String)
        return try #require(Base64URL.decode(text))
    }

    /// Hands a printed answer to the service, as the server's answer endpoint does.
    static func apply(_ answer: [String: Any], _ service: PushFactorService) async throws -> PushTransaction.Outcome {
        try await service.answer(
            transactionID: try #require(answer["transactionId"] as? String),
            deviceID: try #require(answer["deviceId"] as? String),
            approve: try #require(answer["approve"] as? Bool),
            typedNumber: try #require(answer["number"] as? Int),
            signature: try Self.bytes(answer["signature"])
        )
    }

    @Test func withSendThePhoneSpeaksTheDeviceAPI() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LoopbackHTTPServer { request in
            switch (request.method, request.target) {
            case ("POST", "/api/push/devices"): return .json(201, #"{"deviceId":"dev-1"}"#)
            case ("GET", let target) where target.hasPrefix("/api/push/inbox/"):
                return .json(200, Self.inbox(["tx-old", "tx-9"]))
            case ("POST", "/api/push/transactions/tx-9/answer"): return .json(200, #"{"outcome":"approved"}"#)
            default: return .json(409, #"{"error":{"code":"push_transaction_resolved","message":"already answered"}}"#)
            }
        }
        defer { server.stop() }
        let state = directory.appendingPathComponent("phone.json").path
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=\(server.url().absoluteString)"
        let enrolled = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--send"])
        #expect(enrolled.status == 0)
        #expect(try Self.json(enrolled)["deviceId"] as? String == "dev-1")
        let first = try #require(server.requests.first)
        let registration = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: String])
        #expect(registration["ticket"] == "T1" && registration["secret"] == "S1")
        let publicKey = try P256.Signing.PublicKey(x963Representation: try Self.bytes(registration["publicKey"]))

        // The newest waiting transaction is answered, signed by the registered key.
        let approved = try FidoctlRunner.run(["push-device", "approve", "--state", state, "--number", "42", "--send"])
        #expect(approved.status == 0)
        #expect(try Self.json(approved)["outcome"] as? String == "approved")
        let sent = try #require(server.requests.last)
        #expect(sent.target == "/api/push/transactions/tx-9/answer")
        let answer = try #require(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
        #expect(answer["deviceId"] as? String == "dev-1")
        let signature = try P256.Signing.ECDSASignature(derRepresentation: try Self.bytes(answer["signature"]))
        #expect(publicKey.isValidSignature(signature, for: PushTransaction.statement(transactionID: "tx-9", approve: true, typedNumber: 42)))

        // The server's refusal is shown with its code, and the command fails.
        let refused = try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", "tx-old", "--send"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("push_transaction_resolved"))
    }
}
