import Foundation
import Testing

/// `fidoctl pin`: PINs that are not UTF-8 are refused (decoding would make different PINs one),
/// `pin set` on a key with a PIN points to `pin change`, and `pin change` asks twice.
struct PINCommandTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-pin-\(UUID().uuidString)")

    var environment: [String: String] { ["XDG_DATA_HOME": self.home.path] }

    @Test func nonUTF8PINsAreRefusedFromTheEnvironmentAFileAndTheTerminal() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let fromEnvironment = try FidoctlRunner.shell(
            #"FIDOKIT_PIN="$(printf '12\377\376')" exec "$FIDOCTL" pin set --device virtual"#,
            environment: self.environment
        )
        #expect(fromEnvironment.status == 65)
        #expect(fromEnvironment.stderr.contains("$FIDOKIT_PIN is not valid UTF-8"), "\(fromEnvironment.stderr)")

        try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        let file = self.home.appendingPathComponent("pin")
        try Data([0x31, 0x32, 0xC3, 0x28, 0x0A]).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let fromFile = try FidoctlRunner.run(["pin", "set", "--device", "virtual", "--pin-file", file.path], environment: self.environment)
        #expect(fromFile.status == 65)
        #expect(fromFile.stderr.contains("is not valid UTF-8"))

        let typed = try TerminalSession.run(
            ["pin", "set", "--device", "virtual"],
            environment: self.environment,
            steps: [.init(waitFor: "New PIN: ", send: [0x31, 0x32, 0xFF, 0xFE, 0x0A])]
        )
        #expect(typed.status == 65, "\(typed.output)")
        #expect(typed.output.contains("not valid UTF-8"))
        let status = try FidoctlRunner.run(["pin", "status", "--device", "virtual"], environment: self.environment)
        #expect(status.stdout.contains("No PIN is set."))
    }

    @Test func settingAPINTwiceSaysSoAndPointsToChange() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        var environment = self.environment
        environment["FIDOKIT_PIN"] = "1357"
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: environment).status == 0)
        let again = try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: environment)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has a PIN"))
        #expect(again.stderr.contains("fidoctl pin change"))
        #expect(!again.stderr.contains("reset is only allowed"))
    }

    @Test func changingAPINOnATerminalAsksForTheNewOneTwice() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        var environment = self.environment
        environment["FIDOKIT_PIN"] = "1357"
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: environment).status == 0)
        let differ = try TerminalSession.run(
            ["pin", "change", "--device", "virtual"],
            environment: environment,
            steps: [
                .init(waitFor: "New PIN: ", send: Array("2468\n".utf8)),
                .init(waitFor: "Repeat the new PIN: ", send: Array("2469\n".utf8)),
            ]
        )
        #expect(differ.status == 1, "\(differ.output)")
        #expect(differ.output.contains("The PINs differ; nothing was changed."))
        let same = try TerminalSession.run(
            ["pin", "change", "--device", "virtual"],
            environment: environment,
            steps: [
                .init(waitFor: "New PIN: ", send: Array("2468\n".utf8)),
                .init(waitFor: "Repeat the new PIN: ", send: Array("2468\n".utf8)),
            ]
        )
        #expect(same.status == 0, "\(same.output)")
        environment["FIDOKIT_PIN"] = "2468"
        #expect(try FidoctlRunner.run(["pin", "status", "--device", "virtual"], environment: environment).stdout.contains("8 attempts left"))
    }

    /// A PIN file others may read is refused (77) before the key is asked, whatever the key would
    /// say (here: it already has a PIN, which would be exit 1), for --pin-file and --new-pin-file.
    @Test func aPINFileOthersMayReadIsRefusedBeforeTheKey() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        var environment = self.environment
        environment["FIDOKIT_PIN"] = "1357"
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: environment).status == 0)
        let open = self.home.appendingPathComponent("open-pin")
        try Data("2468\n".utf8).write(to: open)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open.path)
        let set = try FidoctlRunner.run(["pin", "set", "--device", "virtual", "--pin-file", open.path], environment: self.environment)
        #expect(set.status == 77, "\(set.stderr)")
        #expect(set.stderr.contains("may be read by others"))
        let change = try FidoctlRunner.run(
            ["pin", "change", "--device", "virtual", "--new-pin-file", open.path],
            environment: environment
        )
        #expect(change.status == 77, "\(change.stderr)")
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual", "--pin-file", ""], environment: self.environment).status == 64)
    }
}
