import FIDOKitTestSupport
import Foundation
import Testing

/// Failures that are not refusals do not exit 1 with a bare Swift error name: each gets the
/// sysexits status README lists and a sentence — mds fetch failures 69 and a non-BLOB 65, a
/// damaged phone key 65, a push server's broken or failing answer 69, an otpauth URI too long
/// for a QR code 64, end of input at the OTP code prompt 65 (as at the PIN prompt).
struct ExitStatusClassTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-status-\(UUID().uuidString)")

    static func closedPort() throws -> Int {
        let server = try LoopbackHTTPServer { _ in .json(200, "{}") }
        let port = server.url().port ?? 1
        server.stop()
        return port
    }

    @Test func mdsUpdateMapsFetchAndFormatFailures() throws {
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let cache = ["--cache", self.directory.appendingPathComponent("c.jwt").path]
        let refused = try FidoctlRunner.run(["mds", "update", "--from", "http://127.0.0.1:\(try Self.closedPort())/"] + cache)
        #expect(refused.status == 69, "\(refused.stderr)")
        let unresolvable = try FidoctlRunner.run(["mds", "update", "--from", "http://no-such-host.invalid/"] + cache)
        #expect(unresolvable.status == 69, "\(unresolvable.stderr)")
        let garbage = self.directory.appendingPathComponent("g.jwt")
        try Data("not a blob".utf8).write(to: garbage)
        let malformed = try FidoctlRunner.run(["mds", "update", "--from", garbage.path] + cache)
        #expect(malformed.status == 65, "\(malformed.stderr)")
        for result in [refused, unresolvable, malformed] {
            #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
            #expect(!result.stderr.contains("Error: "), "\(result.stderr)")
        }
    }

    @Test func pushDeviceBrokenAnswersAndADamagedKeyAreNotRefusals() throws {
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let server = try LoopbackHTTPServer { request in
            switch request.target {
            case "/api/push/devices": return .json(201, #"{"deviceId":"dev-1"}"#)
            case "/api/push/transactions/empty/answer": return .json(200, "{}")
            case "/api/push/transactions/wat/answer": return .json(200, #"{"outcome":"wat"}"#)
            default: return .json(500, #"{"error":{"code":"internal","message":"database down"}}"#)
            }
        }
        defer { server.stop() }
        let state = self.directory.appendingPathComponent("phone.json").path
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=\(server.url().absoluteString)"
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--send"]).status == 0)
        for (transaction, words) in [("empty", "no outcome"), ("wat", "outcome wat"), ("failing", "HTTP 500")] {
            let result = try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", transaction, "--send"])
            #expect(result.status == 69, "\(transaction): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(transaction): \(result.stderr)")
            #expect(!result.stderr.contains("Cannot reach"), "\(transaction): \(result.stderr)")
        }
        let failingInbox = try FidoctlRunner.run(["push-device", "inbox", "--state", state])
        #expect(failingInbox.status == 69, "\(failingInbox.stderr)")

        var saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state))) as? [String: Any])
        saved["privateKey"] = "garbage"
        try JSONSerialization.data(withJSONObject: saved).write(to: URL(fileURLWithPath: state))
        let damaged = try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", "wat"])
        #expect(damaged.status == 65, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("privateKey"), "\(damaged.stderr)")
        #expect(!damaged.stderr.contains("invalidPEMDocument"), "\(damaged.stderr)")
    }

    @Test func otpAddTooLongForAQRCodeAndEndOfInputAtThePrompt() throws {
        let long = try FidoctlRunner.run(["otp", "add", "--issuer", "a", "--account", String(repeating: "a", count: 5_000), "--no-confirm"])
        #expect(long.status == 64, "\(long.stderr)")
        #expect(long.stderr.contains("more than a QR code holds"), "\(long.stderr)")
        let eof = try FidoctlRunner.run(["otp", "add", "--issuer", "a", "--account", "b"])
        // 65, as DeviceOptions' PIN prompt exits for end of input ("No PIN given (end of input…").
        #expect(eof.status == 65, "\(eof.stderr)")
        #expect(eof.stderr.contains("end of input"), "\(eof.stderr)")
    }
}
