import FIDOKitTestSupport
import Foundation
import Testing

/// Failures are told in sentences, not as Swift or Foundation error values: a server that was
/// reached but answered too much is not "Cannot reach" nor `NIOTooManyBytesError`; a folder
/// that cannot be made is not `NSCocoaErrorDomain`; `mds update --help` says http(s).
struct PlainMessageTests {
    @Test func internalErrorTextsDoNotReachTheUser() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let huge = "{\"deviceId\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
        let server = try LoopbackHTTPServer { _ in .json(201, huge) }
        defer { server.stop() }
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=\(server.url().absoluteString)"
        let large = try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", directory.appendingPathComponent("p").path, "--send"])
        #expect(large.status == 69, "\(large.stderr)")
        #expect(large.stderr.contains("more than 1 MiB"), "\(large.stderr)")
        #expect(!large.stderr.contains("Cannot reach") && !large.stderr.contains("NIO"), "\(large.stderr)")

        let file = directory.appendingPathComponent("a-file")
        try Data().write(to: file)
        let folder = try FidoctlRunner.run(["info", "--device", "virtual"], environment: ["XDG_DATA_HOME": file.appendingPathComponent("x").path])
        #expect(folder.status == 74, "\(folder.stderr)")
        #expect(!folder.stderr.contains("NSCocoaErrorDomain") && !folder.stderr.contains("error 5"), "\(folder.stderr)")

        // A batch line's PEM text is no file.
        let sample = try FidoctlRunner.sample("py_webauthn/reg-none-verifies_none_attestation_response.json")
        let line: [String: Any] = [
            "id": "p", "kind": "registration", "rpId": sample["rpId"] ?? "", "origin": sample["origin"] ?? "",
            "challenge": sample["challenge"] ?? "", "response": sample["response"] ?? [:], "trustAnchorsPEM": ["not PEM"],
        ]
        let batch = try FidoctlRunner.run(["verify", "batch"], stdin: try JSONSerialization.data(withJSONObject: line))
        let message = try #require((batch.verdicts.first?["error"] as? [String: Any])?["message"] as? String, "\(batch.stdout)")
        #expect(message.contains("PEM") && !message.contains("file"), "\(message)")

        let help = try FidoctlRunner.run(["mds", "update", "--help"])
        #expect(help.stdout.contains("http(s)://"), "\(help.stdout)")
    }
}
