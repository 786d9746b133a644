import Foundation
import Testing

/// Every read of stdin or of a named file goes through one checked, bounded reader: a
/// directory, a write-only or closed stdin, a missing or unreadable file is exit 66 with a
/// sentence (never a trap, exit 132); input over its cap is exit 65 without being slurped; a
/// file whose contents are wrong is 65; a bad flag value is 64.
struct InputReadingTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-input-\(UUID().uuidString)")

    static let registration =
        #""$FIDOCTL" verify registration --rp-id example.com --origin https://example.com --challenge AAECAwQFBgcICQoLDA0ODw"#
    static let authentication =
        #""$FIDOCTL" verify authentication --rp-id example.com --origin https://example.com --challenge AAECAwQFBgcICQoLDA0ODw --public-key pQECAyYgASFYIA"#

    @Test(arguments: [Self.registration, Self.authentication, #""$FIDOCTL" verify batch -"#])
    func stdinThatCannotBeReadExits66(command: String) throws {
        for redirection in ["< /", "<&-", "3>/dev/null <&3"] {
            let result = try FidoctlRunner.shell("exec \(command) \(redirection)")
            #expect(result.status == 66, "\(redirection): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("Cannot read stdin"), "\(redirection): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test func endlessStdinIsCutAtItsCapWithExit65() throws {
        // /dev/zero never ends: the reader stops at 16 MiB instead of growing until killed.
        let started = Date()
        let result = try FidoctlRunner.shell("exec \(Self.registration) < /dev/zero")
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("larger than 16 MiB"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
        let batch = try FidoctlRunner.shell(#"exec "$FIDOCTL" verify batch - < /dev/zero"#)
        #expect(batch.status == 65, "\(batch.stderr)")
    }

    @Test func aBatchLineOverItsCapGetsItsOwnVerdictAndTheBatchGoesOn() throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let file = self.folder.appendingPathComponent("long.jsonl")
        var bytes = Data(#"{"id":"first"}"#.utf8 + [0x0A])
        bytes.append(Data(#"{"id":""#.utf8))
        bytes.append(Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 10))
        bytes.append(Data(#""}"#.utf8 + [0x0A]))
        bytes.append(Data(#"{"id":"third"}"#.utf8 + [0x0A]))
        try bytes.write(to: file)
        let result = try FidoctlRunner.run(["verify", "batch", file.path])
        #expect(result.status == 1)
        let verdicts = result.verdicts
        #expect(verdicts.count == 3)
        #expect((verdicts.first?["error"] as? [String: Any])?["code"] as? String == "malformed_json")
        #expect((verdicts.dropFirst().first?["error"] as? [String: Any])?["code"] as? String == "line_too_long")
        #expect(verdicts.last?["id"] as? String == "third")
    }

    @Test func missingFilesExit66AndMalformedOnes65() throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let notPEM = self.folder.appendingPathComponent("anchors.bin")
        try Data([0xFF, 0xFE, 0x00, 0x01]).write(to: notPEM)
        let empty = self.folder.appendingPathComponent("empty.pem")
        try Data().write(to: empty)
        // Owner-only, as a phone's state (a secret) must be, so it is read and found malformed.
        #expect(chmod(empty.path, 0o600) == 0)
        let verify = ["verify", "registration", "--rp-id", "example.com", "--origin", "https://example.com", "--challenge", "AAAA"]
        let cases: [([String], Int32)] = [
            (["mds", "update", "--from", "/nonexistent/blob.jwt"], 66),
            (["mds", "update", "--from", self.folder.path], 66),
            (verify + ["--mds", "/nonexistent/blob.jwt"], 66),
            (verify + ["--trust-anchors", "/nonexistent.pem"], 66),
            (verify + ["--trust-anchors", notPEM.path], 65),
            (verify + ["--trust-anchors", empty.path], 65),
            (verify + ["--trust-anchors-for", "packed=\(empty.path)"], 65),
            (["verify", "batch", self.folder.path], 66),
            (["push-device", "inbox", "--state", "/nonexistent/phone.json"], 66),
            (["push-device", "inbox", "--state", self.folder.path], 66),
            (["push-device", "inbox", "--state", empty.path], 65),
        ]
        for (arguments, status) in cases {
            let result = try FidoctlRunner.run(arguments, stdin: Data("{}".utf8))
            #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("DecodingError"), "\(result.stderr)")
        }
    }

    @Test(arguments: ["!!", "", "AA==", "AAAAA", "AA AA"])
    func aChallengeThatIsNotBase64URLIsAUsageError(challenge: String) throws {
        let result = try FidoctlRunner.run(
            ["verify", "registration", "--rp-id", "example.com", "--origin", "https://example.com", "--challenge", challenge],
            stdin: Data("{}".utf8)
        )
        #expect(result.status == 64, "\(challenge): \(result.stderr)")
        #expect(result.stderr.contains("--challenge"))
    }
}
