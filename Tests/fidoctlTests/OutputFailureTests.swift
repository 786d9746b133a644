import Foundation
import Testing

/// Every write fidoctl makes is checked: a full disk, a pipe closed early with SIGPIPE ignored
/// (as under systemd) and a closed stderr end in exit 74 (EX_IOERR) with a sentence, never a
/// trap (exit 132) or a silent success.
struct OutputFailureTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-io-\(UUID().uuidString)")

    /// A batch whose verdicts are far larger than a pipe's buffer.
    func bigBatch() throws -> URL {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let file = self.folder.appendingPathComponent("big.jsonl")
        try Data(String(repeating: #"{"id":"x","kind":"registration"}"# + "\n", count: 3000).utf8).write(to: file)
        return file
    }

    @Test func aFullDiskExits74WithASentence() throws {
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let batch = try self.bigBatch()
        let result = try FidoctlRunner.shell(#""$FIDOCTL" verify batch "$1" > /dev/full"#.replacingOccurrences(of: "$1", with: batch.path))
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("Cannot write the output to stdout"), "\(result.stderr)")
    }

    @Test func aClosedPipeWithSIGPIPEIgnoredExits74() throws {
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let batch = try self.bigBatch()
        let status = self.folder.appendingPathComponent("status")
        let errors = self.folder.appendingPathComponent("stderr")
        let result = try FidoctlRunner.shell(
            """
            trap '' PIPE
            { "$FIDOCTL" verify batch '\(batch.path)' 2>'\(errors.path)'; echo $? > '\(status.path)'; } | head -1 > /dev/null
            """
        )
        #expect(result.status == 0)
        let code = try String(contentsOf: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == "74")
        #expect(try String(contentsOf: errors, encoding: .utf8).contains("Broken pipe"))
    }

    @Test func aClosedStderrExits74AndASuccessWithoutStderrStillSucceeds() throws {
        let failed = try FidoctlRunner.shell(#"exec "$FIDOCTL" verify batch /nonexistent.jsonl 2>&-"#)
        #expect(failed.status == 74)
        let usage = try FidoctlRunner.shell(#"exec "$FIDOCTL" enroll --no-such-option 2>&-"#)
        #expect(usage.status == 74)
        let quiet = try FidoctlRunner.shell(#"exec "$FIDOCTL" otp code --secret JBSWY3DPEHPK3PXP --time 0 2>&-"#)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.count == 7)
    }

    @Test func aClosedStdoutExits74() throws {
        let result = try FidoctlRunner.shell(#"exec "$FIDOCTL" otp code --secret JBSWY3DPEHPK3PXP --time 0 >&-"#)
        #expect(result.status == 74)
        #expect(result.stderr.contains("Cannot write the output"))
    }

    @Test func aFileThatCannotBeWrittenExits74() throws {
        let result = try FidoctlRunner.run(["otp", "add", "--issuer", "a", "--account", "b", "--no-confirm", "--svg", "/nonexistent/qr.svg"])
        #expect(result.status == 74)
        #expect(result.stderr.contains("Cannot write /nonexistent/qr.svg"))
    }
}
