import FIDOKitTestSupport
import Foundation
import Testing

/// `push-device`: an enrollment URI is parsed strictly (exit 64 for anything a server never
/// issues), an existing state file is kept unless `--force`, the state is written only once
/// `--send` succeeded, and a server answer that is not the device API's is an error, never an
/// empty inbox.
struct PushEnrollmentURITests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-push-\(UUID().uuidString)")

    static let refused = [
        "ticket=a&secret=b&server=http://127.0.0.1:99999",
        "ticket=a&secret=b&server=http://127.0.0.1:65536",
        "ticket=a&secret=b&server=http://127.0.0.1:4294967297",
        "ticket=a&secret=b&server=http://127.0.0.1:0",
        "ticket=&secret=b&server=http://x.example",
        "ticket=a&secret=&server=http://x.example",
        "ticket=a&secret=b&server=",
        "secret=b&server=http://x.example",
        "ticket=a&ticket=c&secret=b&server=http://x.example",
        "ticket=a&secret=b&server=notaurl",
        "ticket=a&secret=b&server=ftp://x.example",
        "ticket=%ZZ&secret=b&server=http://x.example",
        "ticket=a%00&secret=b&server=http://x.example",
        "ticket=a&secret=b&server=http://user:pw@x.example",
    ]

    @Test(arguments: Self.refused)
    func aMalformedEnrollmentURIIsAUsageError(query: String) throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let state = self.folder.appendingPathComponent("phone.json").path
        for send in [[], ["--send"]] {
            let result = try FidoctlRunner.run(
                ["push-device", "enroll", "--uri", "fidokit-push://enroll?\(query)", "--state", state] + send
            )
            #expect(result.status == 64, "\(query): \(result.status) \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: state))
        }
    }

    @Test func theSchemeIsCaseInsensitiveAndAnExistingStateIsKeptUnlessForced() throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let state = self.folder.appendingPathComponent("phone.json").path
        let uri = "FIDOKIT-PUSH://Enroll?ticket=a&secret=b&server=https://dash.example.com:8443"
        let first = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state])
        #expect(first.status == 0, "\(first.stderr)")
        let saved = try Data(contentsOf: URL(fileURLWithPath: state))
        let again = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state])
        #expect(again.status == 64)
        #expect(again.stderr.contains("--force"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == saved)
        let forced = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--force"])
        #expect(forced.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) != saved)
        let directory = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", self.folder.path, "--force"])
        #expect(directory.status == 64)
    }

    @Test func aFailedSendWritesNoState() throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let state = self.folder.appendingPathComponent("phone.json").path
        let port = BenchServerTests.freePort()
        let result = try FidoctlRunner.run([
            "push-device", "enroll", "--uri", "fidokit-push://enroll?ticket=a&secret=b&server=http://127.0.0.1:\(port)",
            "--state", state, "--send",
        ])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("the connection was refused"), "\(result.stderr)")
        #expect(!result.stderr.contains("error set"))
        #expect(!FileManager.default.fileExists(atPath: state))
    }

    @Test func anInboxAnswerThatIsNotTheDeviceAPIsIsAnError() throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let body = LockedBox("{{{{{")
        let server = try LoopbackHTTPServer { request in
            if request.target == "/api/push/devices" { return .json(201, #"{"deviceId":"dev-1"}"#) }
            return .json(200, body.value)
        }
        defer { server.stop() }
        let state = self.folder.appendingPathComponent("phone.json").path
        let uri = "fidokit-push://enroll?ticket=T&secret=S&server=\(server.url().absoluteString)"
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state, "--send"]).status == 0)
        for malformed in ["{{{{{", "{}", #"{"transactions":{}}"#, #"{"transactions":[{"transactionId":"t"}]}"#, "[]"] {
            body.value = malformed
            let result = try FidoctlRunner.run(["push-device", "inbox", "--state", state])
            #expect(result.status == 69, "\(malformed): \(result.status) \(result.stdout)")
            #expect(result.stdout.isEmpty)
        }
        body.value = PushDeviceCommandTests.inbox(["tx-1", "tx-2"])
        let result = try FidoctlRunner.run(["push-device", "inbox", "--state", state])
        #expect(result.status == 0, "\(result.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let entries = try #require(printed["transactions"] as? [[String: Any]])
        #expect(entries.map { $0["transactionId"] as? String } == ["tx-1", "tx-2"])
        #expect(entries.first?["browser"] as? String == "Chromium on Linux")
    }
}

/// A value shared with a server's handler.
final class LockedBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String
    init(_ value: String) { self.stored = value }
    var value: String {
        get { self.lock.withLock { self.stored } }
        set { self.lock.withLock { self.stored = newValue } }
    }
}
