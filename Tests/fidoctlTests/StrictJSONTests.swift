import FIDOKitTestSupport
import Foundation
import Testing

/// Every JSON document fidoctl reads is parsed strictly first: a member given twice is refused
/// with a sentence and the reader's exit status, never read as one of its copies — server
/// answers (69), the phone's state (65), the software authenticator's state (65), batch lines
/// (a `malformed_json` verdict).
struct StrictJSONTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-strict-\(UUID().uuidString)")

    @Test func serverAnswersWithAMemberTwiceAreRefused() throws {
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let server = try LoopbackHTTPServer { request in
            switch request.target {
            case "/api/push/devices" where String(decoding: request.body, as: UTF8.self).contains("\"T-twice\""):
                return .json(201, #"{"deviceId":"X","deviceId":"Y"}"#)
            case "/api/push/devices": return .json(201, #"{"deviceId":"dev-1"}"#)
            default: return .json(200, #"{"outcome":"denied","outcome":"approved"}"#)
            }
        }
        defer { server.stop() }
        func uri(_ ticket: String) -> String {
            "fidokit-push://enroll?ticket=\(ticket)&secret=S1&server=\(server.url().absoluteString)"
        }
        let twice = self.directory.appendingPathComponent("twice.json").path
        let enrolled = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri("T-twice"), "--state", twice, "--send"])
        #expect(enrolled.status == 69, "\(enrolled.stderr)")
        #expect(enrolled.stderr.contains("a member is given twice"), "\(enrolled.stderr)")
        #expect(!enrolled.stdout.contains("\"Y\""))

        let state = self.directory.appendingPathComponent("phone.json").path
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri("T1"), "--state", state, "--send"]).status == 0)
        let answered = try FidoctlRunner.run(["push-device", "approve", "--state", state, "--transaction", "tx-1", "--number", "42", "--send"])
        #expect(answered.status == 69, "\(answered.stderr)")
        #expect(answered.stderr.contains("a member is given twice"), "\(answered.stderr)")
        #expect(!answered.stdout.contains("approved"))

        // The state file with two server members.
        var text = try String(contentsOfFile: state, encoding: .utf8)
        let server2 = #""server" : "http://127.0.0.1:1/","#
        text = text.replacingOccurrences(of: "{", with: "{" + server2, options: [], range: text.range(of: "{"))
        try text.write(toFile: state, atomically: true, encoding: .utf8)
        #expect(chmod(state, 0o600) == 0)
        let loaded = try FidoctlRunner.run(["push-device", "deny", "--state", state, "--transaction", "tx-1"])
        #expect(loaded.status == 65, "\(loaded.stderr)")
        #expect(loaded.stderr.contains("a member is given twice"), "\(loaded.stderr)")
    }

    @Test func theSoftwareAuthenticatorsStateAndBatchLinesAreStrict() throws {
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let environment = ["XDG_DATA_HOME": self.directory.path]
        let first = try FidoctlRunner.run(["enroll", "--device", "virtual", "--rp-id", "a.example", "--user", "u"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let file = self.directory.appendingPathComponent("fidokit/virtual-authenticator.json")
        let saved = try String(contentsOf: file, encoding: .utf8)
        // A lenient decoder keeps the second counter; the strict rule refuses the file.
        let doubled = saved.replacingOccurrences(of: "{", with: #"{"counter":999,"#, options: [], range: saved.range(of: "{"))
        try doubled.write(to: file, atomically: true, encoding: .utf8)
        #expect(chmod(file.path, 0o600) == 0)
        let result = try FidoctlRunner.run(["info", "--device", "virtual"], environment: environment)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("a member is given twice"), "\(result.stderr)")

        let line = #"{"type":"authentication","type":"registration","challenge":"AAAA","origin":"https://a.example","rpId":"a.example","response":{}}"#
        let batch = try FidoctlRunner.run(["verify", "batch"], stdin: Data((line + "\n").utf8))
        let verdict = try #require(batch.verdicts.first)
        let error = try #require(verdict["error"] as? [String: Any], "\(batch.stdout)")
        #expect(error["code"] as? String == "malformed_json", "\(batch.stdout)")
    }
}
