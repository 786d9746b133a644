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

    /// `enroll --send` keeps the key before the server hears of it, in a one-character state file
    /// with no directory part (the name that trapped, exit 132, after the ticket was used up); a
    /// server answer without a device id leaves the key on disk, a refused ticket does not.
    @Test func enrollWithSendKeepsTheKeyInAOneCharacterStateFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LoopbackHTTPServer { request in
            switch request.target {
            case "/api/push/devices" where String(decoding: request.body, as: UTF8.self).contains("\"T-ok\""):
                return .json(201, #"{"deviceId":"dev-7"}"#)
            case "/api/push/devices" where String(decoding: request.body, as: UTF8.self).contains("\"T-odd\""):
                return .json(201, #"{"registered":true}"#)
            default:
                return .json(409, #"{"error":{"code":"push_ticket_used","message":"used"}}"#)
            }
        }
        defer { server.stop() }
        func enroll(_ ticket: String, state: String) throws -> FidoctlRunner.Result {
            let uri = "fidokit-push://enroll?ticket=\(ticket)&secret=S1&server=\(server.url().absoluteString)"
            return try FidoctlRunner.shell(
                #"cd '\#(directory.path)' && exec "$FIDOCTL" push-device enroll --uri '\#(uri)' --state '\#(state)' --send"#
            )
        }
        func saved(_ state: String) throws -> [String: Any] {
            let data = try Data(contentsOf: directory.appendingPathComponent(state))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        let ok = try enroll("T-ok", state: "p")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try Self.json(ok)["deviceId"] as? String == "dev-7")
        #expect(try saved("p")["deviceID"] as? String == "dev-7")
        let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("p").path)[.posixPermissions]
        #expect(mode as? Int == 0o600)

        let odd = try enroll("T-odd", state: "o")
        #expect(odd.status == 69, "\(odd.stderr)")
        #expect(odd.stderr.contains("The device key is kept in o"), "\(odd.stderr)")
        #expect(try saved("o")["privateKey"] as? String != nil)

        let refused = try enroll("T-used", state: "-")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("push_ticket_used"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("-").path))
    }

    /// The state file holds the device's private key: a link (dangling, to a terminal, to a
    /// file) or a special file is refused up front with its reason (exit 64), --force or not,
    /// and is left alone; a failed --send removes only a state file this run created.
    @Test func theStateMustBeARegularFileAndAFailedSendRemovesOnlyWhatItCreated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let closed = try LoopbackHTTPServer { _ in .json(200, "{}") }
        let port = closed.url().port ?? 1
        closed.stop()
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=http://127.0.0.1:\(port)"
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("target")))
        try FileManager.default.createSymbolicLink(atPath: path("to-file"), withDestinationPath: "target")
        try FileManager.default.createSymbolicLink(atPath: path("to-stdout"), withDestinationPath: "/proc/self/fd/1")
        try FileManager.default.createSymbolicLink(atPath: path("dangling"), withDestinationPath: "nothing")
        #expect(mkfifo(path("fifo"), 0o600) == 0)
        let cases = [("to-file", "a symbolic link"), ("to-stdout", "a symbolic link"), ("dangling", "a symbolic link"), ("fifo", "a FIFO")]
        for (name, reason) in cases {
            for force in [[], ["--force"]] {
                let result = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", path(name), "--send"] + force)
                #expect(result.status == 64, "\(name): \(result.stderr)")
                #expect(result.stderr.contains("is \(reason), not a regular file"), "\(name): \(result.stderr)")
                #expect(!result.stderr.contains("already exists"), "\(name): \(result.stderr)")
                #expect(!result.stdout.contains("PRIVATE KEY"), "\(name)")
                var status = stat()
                #expect(lstat(path(name), &status) == 0, "\(name) was removed")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("target"))) == Data("old".utf8))
        // A refused connection: the file this run created goes, a replaced one stays.
        let created = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", path("new"), "--send"])
        #expect(created.status == 69, "\(created.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("new")))
        let replaced = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", path("target"), "--send", "--force"])
        #expect(replaced.status == 69, "\(replaced.stderr)")
        #expect(FileManager.default.fileExists(atPath: path("target")))
        if getuid() == 0 {
            #expect(mknod(path("null"), S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
            let device = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", path("null"), "--send", "--force"])
            #expect(device.status == 64, "\(device.stderr)")
            #expect(device.stderr.contains("is a character device"), "\(device.stderr)")
            #expect(try FileManager.default.attributesOfItem(atPath: path("null"))[.type] as? FileAttributeType == .typeCharacterSpecial)
        }
    }

    /// Ids and tokens from outside (the inbox, --transaction, --device-id, the state file, the
    /// server's deviceId) are checked before they go into a path, and the server URL has no
    /// query, fragment or user info: no value can reach another endpoint.
    @Test func idsAndTokensAreCheckedBeforeTheyGoIntoAPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LoopbackHTTPServer { request in
            switch (request.method, request.target) {
            case ("POST", "/base/api/push/devices"): return .json(201, #"{"deviceId":"dev-1"}"#)
            case ("GET", let target) where target.hasPrefix("/base/api/push/inbox/"):
                return .json(200, Self.inbox(["../../api/tenant/settings?x="]))
            default: return .json(200, #"{"outcome":"approved"}"#)
            }
        }
        defer { server.stop() }
        let state = directory.appendingPathComponent("phone.json").path
        let base = "http://127.0.0.1:\(server.url().port ?? 1)"
        let enrolled = try FidoctlRunner.run([
            "push-device", "enroll", "--uri", "fidokit-push://enroll?ticket=T1&secret=S1&server=\(base)/base/", "--state", state, "--send",
        ])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(server.requests.map(\.target) == ["/base/api/push/devices"])

        let fromInbox = try FidoctlRunner.run(["push-device", "approve", "--state", state, "--number", "42", "--send"])
        #expect(fromInbox.status == 69, "\(fromInbox.stderr)")
        #expect(fromInbox.stderr.contains("transactionId"), "\(fromInbox.stderr)")
        for given in ["", "a/b", "..", "x?y", "%2e%2e", String(repeating: "a", count: 257)] {
            for option in ["--transaction", "--device-id"] {
                let result = try FidoctlRunner.run(["push-device", "deny", "--state", state, option, given, "--send"])
                #expect(result.status == 64, "\(option) \(given): \(result.stderr)")
            }
        }
        #expect(!server.requests.contains { $0.method == "POST" && $0.target.contains("transactions") })

        // A state file whose push token would walk out of the inbox path.
        var saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state))) as? [String: Any])
        saved["pushToken"] = "../../api/tenant/settings"
        try JSONSerialization.data(withJSONObject: saved).write(to: URL(fileURLWithPath: state))
        let requests = server.requests.count
        let token = try FidoctlRunner.run(["push-device", "inbox", "--state", state])
        #expect(token.status == 65, "\(token.stderr)")
        #expect(token.stderr.contains("pushToken"), "\(token.stderr)")
        #expect(server.requests.count == requests)

        // A server URL with a query, fragment or user info is refused (exit 64).
        for bad in ["\(base)/x?y", "\(base)/x%3Fy", "\(base)/%23f", "http://user@127.0.0.1:1/", "http://u%40127.0.0.1:1/"] {
            let uri = "fidokit-push://enroll?ticket=T2&secret=S2&server=\(bad)"
            let result = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state + "2", "--send"])
            #expect(result.status == 64, "\(bad): \(result.stderr)")
        }
        #expect(server.requests.count == requests)
    }

    /// --number is one of the numbers a sign-in page shows (10–99, openapi.yaml's PushStarted);
    /// an answer the server took but that did not approve (a wrong number) exits 1.
    @Test func theNumberIsRangeCheckedAndAMismatchFails() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LoopbackHTTPServer { request in
            switch request.target {
            case "/api/push/devices": return .json(201, #"{"deviceId":"dev-1"}"#)
            case "/api/push/transactions/tx-1/answer":
                let body = String(decoding: request.body, as: UTF8.self)
                return .json(200, body.contains("\"number\":42") ? #"{"outcome":"approved"}"# : #"{"outcome":"number_mismatch"}"#)
            case "/api/push/transactions/tx-2/answer": return .json(200, #"{"outcome":"denied"}"#)
            default: return .json(404, #"{"error":{"code":"not_found","message":"no"}}"#)
            }
        }
        defer { server.stop() }
        let state = directory.appendingPathComponent("phone.json").path
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=\(server.url().absoluteString)"
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--send"]).status == 0)
        let base = ["push-device", "approve", "--state", state, "--transaction", "tx-1", "--send"]
        for number in ["100", "1000", "9", "0", "-5"] {
            let result = try FidoctlRunner.run(base + ["--number=\(number)"])
            #expect(result.status == 64, "\(number): \(result.stderr)")
        }
        #expect(try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", "tx-2", "--number", "100"]).status == 64)
        #expect(!server.requests.contains { $0.target.hasSuffix("/answer") })
        let mismatch = try FidoctlRunner.run(base + ["--number", "43"])
        #expect(mismatch.status == 1, "\(mismatch.stderr)")
        #expect(try Self.json(mismatch)["outcome"] as? String == "number_mismatch")
        #expect(try FidoctlRunner.run(base + ["--number", "42"]).status == 0)
        #expect(try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", "tx-2", "--send"]).status == 0)
    }

    /// A server that drips its answer a byte at a time is cut off by the whole exchange's
    /// deadline (exit 69), not waited for forever; a signal during that wait does not claim a
    /// key's request was cancelled (no key is involved).
    @Test func aDrippingServerIsCutOffAndASignalNamesNoKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try DrippingHTTPServer(status: "201 Created")
        defer { server.stop() }
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=http://127.0.0.1:\(server.port)"
        let state = directory.appendingPathComponent("phone.json").path
        let started = Date()
        let dripped = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--send"])
        let seconds = Date().timeIntervalSince(started)
        #expect(dripped.status == 69, "\(dripped.stderr)")
        #expect(dripped.stderr.contains("did not answer in time"), "\(dripped.stderr)")
        #expect(seconds < 25, "took \(seconds) s")
        // The key was kept: the server may have registered it before dripping.
        #expect(FileManager.default.fileExists(atPath: state))

        let terminated = try FidoctlRunner.shell(
            #""$FIDOCTL" push-device inbox --state '\#(state)' & pid=$!; sleep 2; kill -TERM $pid; wait $pid"#
        )
        #expect(terminated.status == 143, "\(terminated.stderr)")
        #expect(terminated.stderr.contains("Terminated (SIGTERM)"), "\(terminated.stderr)")
        #expect(!terminated.stderr.contains("key"), "\(terminated.stderr)")
    }
}
