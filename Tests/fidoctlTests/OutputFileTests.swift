import Foundation
import Testing

/// Every option that writes to a path (`record --output`, `otp add --svg`, `bench make-batch
/// --hex-output`, `push-device enroll --state`) goes through one writer: a regular file is
/// replaced atomically, a FIFO or character device is written in place (ENOSPC is exit 74), a
/// symbolic link is followed, a directory is refused; files holding secrets are 0600.
struct OutputFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-out-\(UUID().uuidString)")

    func setUp() throws -> [String: String] {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        return ["XDG_DATA_HOME": self.folder.appendingPathComponent("xdg").path]
    }

    func type(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    /// The four writing commands, each writing to `path`.
    func writers(_ path: String) -> [[String]] {
        [
            ["record", "--device", "virtual", "--output", path],
            ["otp", "add", "--issuer", "a", "--account", "b", "--no-confirm", "--svg", path],
            ["bench", "make-batch", "--count", "1", "--hex-output", path],
        ]
    }

    @Test func aCharacterDeviceIsWrittenInPlaceAndAFullOneExits74() throws {
        guard getuid() == 0 else {
            // mknod needs root; the FIFO test below covers writing in place without it.
            Issue.record("skipped: not root, cannot mknod a full device in a temporary folder")
            return
        }
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let device = self.folder.appendingPathComponent("full").path
        // Major 1, minor 7: the full device (makedev is a C macro Swift does not import).
        #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0)
        for arguments in self.writers(device) {
            let result = try FidoctlRunner.run(arguments, environment: environment)
            #expect(result.status == 74, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
            #expect(try self.type(device) == .typeCharacterSpecial)
        }
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let fifo = self.folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let copy = self.folder.appendingPathComponent("copy").path
        for arguments in self.writers(fifo) {
            let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
            let result = try FidoctlRunner.shell(
                #"cat '\#(fifo)' > '\#(copy)' & "$FIDOCTL" \#(quoted) > /dev/null; status=$?; wait; exit $status"#,
                environment: environment
            )
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try self.type(fifo) != .typeRegular)
            #expect((try Data(contentsOf: URL(fileURLWithPath: copy))).count > 10)
        }
    }

    /// `/dev/stdout` and `/dev/stderr` on a pipe are links to `pipe:[N]`, which is no path: they
    /// are written in place (opened as named), not replaced, for every writer.
    @Test func devStdoutAndStderrOnAPipeAreWrittenInPlace() throws {
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        for arguments in self.writers("/dev/stdout") {
            let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
            let result = try FidoctlRunner.shell(#""$FIDOCTL" \#(quoted) | wc -c"#, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Cannot write"), "\(arguments): \(result.stderr)")
            #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10, "\(arguments)")
        }
        let stderr = try FidoctlRunner.shell(
            #""$FIDOCTL" bench make-batch --count 1 --hex-output /dev/stderr 2>&1 >/dev/null | wc -c"#,
            environment: environment
        )
        #expect((Int(stderr.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10, "\(stderr.stderr)")
    }

    @Test func aSymbolicLinkIsFollowedAndADirectoryRefused() throws {
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let target = self.folder.appendingPathComponent("target").path
        let link = self.folder.appendingPathComponent("link").path
        for arguments in self.writers(link) {
            try? FileManager.default.removeItem(atPath: link)
            try Data().write(to: URL(fileURLWithPath: target))
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target")
            let result = try FidoctlRunner.run(arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try self.type(link) == .typeSymbolicLink)
            #expect((try Data(contentsOf: URL(fileURLWithPath: target))).count > 10)
        }
        // udev install writes a fixed name in its --rules-directory: a directory there is kept.
        let rules = self.folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules.appendingPathComponent("70-fido.rules"), withIntermediateDirectories: true)
        let udev = try FidoctlRunner.run(["udev", "install", "--rules-directory", rules.path, "--files-only"])
        #expect(udev.status == 74, "\(udev.stderr)")
        #expect(try self.type(rules.appendingPathComponent("70-fido.rules").path) == .typeDirectory)
        for arguments in self.writers(self.folder.path) {
            let result = try FidoctlRunner.run(arguments, environment: environment)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is a directory"))
        }
    }

    @Test func filesHoldingSecretsAre0600AndARegularFileIsReplacedAtomically() throws {
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        let svg = self.folder.appendingPathComponent("qr.svg").path
        let transcript = self.folder.appendingPathComponent("session.jsonl").path
        let hex = self.folder.appendingPathComponent("hex.txt").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: svg))
        let before = try FileManager.default.attributesOfItem(atPath: svg)[.systemFileNumber] as? Int
        let script = """
            umask 022
            "$FIDOCTL" otp add --issuer a --account b --no-confirm --svg '\(svg)' > /dev/null || exit 1
            "$FIDOCTL" record --device virtual --output '\(transcript)' 2> /dev/null || exit 2
            "$FIDOCTL" bench make-batch --count 1 --hex-output '\(hex)' > /dev/null || exit 3
            """
        let result = try FidoctlRunner.shell(script, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try self.mode(svg) == 0o600)
        #expect(try self.mode(transcript) == 0o600)
        #expect(try self.mode(hex) == 0o644)
        #expect(try FileManager.default.attributesOfItem(atPath: svg)[.systemFileNumber] as? Int != before)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: self.folder.path).filter { $0.hasPrefix(".fidoctl-") }
        #expect(leftovers.isEmpty)
    }

    /// A one-character name with no directory part (`q`, `-`) is written in the current
    /// directory: Foundation's deletingLastPathComponent trapped on it (exit 132). Names that
    /// cannot be a file (empty, ending in a slash) are usage errors.
    @Test func oneCharacterNamesInTheCurrentDirectoryAreWritten() throws {
        let environment = try self.setUp()
        defer { try? FileManager.default.removeItem(at: self.folder) }
        for name in ["q", "-", "r"] {
            for arguments in self.writers(name) {
                let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
                let result = try FidoctlRunner.shell(
                    #"cd '\#(self.folder.path)' && "$FIDOCTL" \#(quoted) > /dev/null"#,
                    environment: environment
                )
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                let path = self.folder.appendingPathComponent(name).path
                #expect((try Data(contentsOf: URL(fileURLWithPath: path))).count > 10, "\(arguments)")
                _ = unlink(path)
            }
        }
        for name in ["", "d/", "/", "\(self.folder.path)/"] {
            for arguments in self.writers(name) {
                let result = try FidoctlRunner.run(arguments, environment: environment)
                #expect(result.status == 64, "\(arguments): \(result.stderr)")
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: self.folder.path).filter { $0.hasPrefix(".fidoctl-") }
        #expect(leftovers.isEmpty)
    }
}
