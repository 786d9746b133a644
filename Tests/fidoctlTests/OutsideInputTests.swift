import Foundation
import Testing

/// What an outside tester found in fidoctl's handling of the key and of names that came from
/// outside: control characters never reach the terminal raw, PINs that can never be valid are
/// refused before the key is asked (no retry used), a PIN file others may read is refused,
/// `pin change` names what is missing, a touch that never comes is a timeout (75), and a
/// state path that is a directory is refused at once.
struct OutsideInputTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-outside-\(UUID().uuidString)")

    var environment: [String: String] { ["XDG_DATA_HOME": self.home.path] }

    func withPIN(_ pin: String) -> [String: String] {
        self.environment.merging(["FIDOKIT_PIN": pin]) { $1 }
    }

    @Test func namesFromOutsideAreEscapedInHumanReadableOutput() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: self.withPIN("1357")).status == 0)
        let name = "\u{1b}]0;owned\u{07}\u{1b}[31mred\u{202e}\u{9b}"
        let enrolled = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", name, "--resident-key"],
            environment: self.withPIN("1357")
        )
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        let listed = try FidoctlRunner.run(["credentials", "list", "--device", "virtual"], environment: self.withPIN("1357"))
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("\\u{1b}]0;owned\\u{7}\\u{1b}[31mred\\u{202e}\\u{9b}"), "\(listed.stdout)")
        for scalar in listed.stdout.unicodeScalars where scalar != "\n" {
            #expect(scalar.value >= 0x20 && !(0x7f...0x9f).contains(scalar.value) && scalar.value != 0x202e)
        }
        let json = try FidoctlRunner.run(["credentials", "list", "--device", "virtual", "--json"], environment: self.withPIN("1357"))
        #expect(json.verdicts.first?["userName"] as? String == name)
        let badID = try FidoctlRunner.run(["enroll", "--device", "virtual", "--rp-id", "a\nb\u{1b}[2J", "--user", "ada"])
        #expect(badID.status == 64)
        #expect(!badID.stderr.contains("\u{1b}") && badID.stderr.contains("a\\u{a}b"), "\(badID.stderr)")
    }

    @Test func aPINThatCannotBeValidIsRefusedBeforeTheKeyIsAsked() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: self.withPIN("1357")).status == 0)
        for pin in ["", "12", "123", String(repeating: "7", count: 64), String(repeating: "é", count: 32)] {
            let result = try FidoctlRunner.run(["credentials", "list", "--device", "virtual"], environment: self.withPIN(pin))
            #expect(result.status == 65, "\(pin.count): \(result.stderr)")
            #expect(result.stderr.contains("Nothing was sent to the key"))
        }
        try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        let big = self.home.appendingPathComponent("big-pin")
        try Data(repeating: UInt8(ascii: "1"), count: 1 << 20).write(to: big)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: big.path)
        #expect(try FidoctlRunner.run(["credentials", "list", "--device", "virtual", "--pin-file", big.path], environment: self.environment).status == 65)
        // Not one retry was used.
        let status = try FidoctlRunner.run(["pin", "status", "--device", "virtual"], environment: self.environment)
        #expect(status.stdout.contains("8 attempts left"), "\(status.stdout)")
    }

    @Test func ctrlDAtThePINPromptIsNoPINGiven() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: self.withPIN("1357")).status == 0)
        let result = try TerminalSession.run(
            ["credentials", "list", "--device", "virtual"],
            environment: self.environment,
            steps: [.init(waitFor: "PIN: ", send: [0x04])]
        )
        #expect(result.status == 65, "\(result.output)")
        #expect(result.output.contains("No PIN given"))
        #expect(result.echoAfter)
    }

    @Test func aPINFileOthersMayReadIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        let file = self.home.appendingPathComponent("pin")
        try Data("1357\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let open = try FidoctlRunner.run(["pin", "set", "--device", "virtual", "--pin-file", file.path], environment: self.environment)
        #expect(open.status == 77, "\(open.stderr)")
        #expect(open.stderr.contains("chmod 600"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let closed = try FidoctlRunner.run(["pin", "set", "--device", "virtual", "--pin-file", file.path], environment: self.environment)
        #expect(closed.status == 0, "\(closed.stderr)")
    }

    @Test func pinChangeNamesTheNewPINsSources() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try FidoctlRunner.run(["pin", "set", "--device", "virtual"], environment: self.withPIN("1357")).status == 0)
        let result = try FidoctlRunner.run(["pin", "change", "--device", "virtual"], environment: self.withPIN("1357"))
        #expect(result.status == 64)
        #expect(result.stderr.contains("--new-pin-file") && result.stderr.contains("FIDOKIT_NEW_PIN"), "\(result.stderr)")
    }

    @Test func aTouchThatNeverComesIsATimeout() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try FidoctlRunner.run(
            ["assert", "--device", "virtual", "--rp-id", "localhost", "--timeout-ms", "1000"],
            environment: self.environment.merging(["FIDOKIT_VIRTUAL_TOUCH": "never"]) { $1 }
        )
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("Timed out waiting for a touch"))
        #expect(!result.stderr.contains("plugged in:"))
    }

    @Test func aStatePathThatIsADirectoryIsRefusedAtOnce() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        try FileManager.default.createDirectory(
            at: self.home.appendingPathComponent("fidokit/virtual-authenticator.json"),
            withIntermediateDirectories: true
        )
        for arguments in [
            ["info", "--device", "virtual"], ["pin", "status", "--device", "virtual"],
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada"],
        ] {
            let result = try FidoctlRunner.run(arguments, environment: self.environment)
            #expect(result.status == 66, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is a directory"))
            #expect(!result.stderr.contains("Touch"))
        }
    }

    @Test func relyingPartyRulesABrowserApplies() throws {
        let verify = ["verify", "registration", "--challenge", "AAAA"]
        #expect(try FidoctlRunner.run(verify + ["--rp-id", "com", "--origin", "https://com"]).status == 64)
        #expect(try FidoctlRunner.run(verify + ["--rp-id", "example.com", "--origin", "https://example.com:443"]).status == 64)
        #expect(try FidoctlRunner.run(["enroll", "--device", "virtual", "--rp-id", "com", "--user", "ada"]).status == 64)
        let batch = [
            #"{"id":"a","kind":"registration","rpId":"example.com","origin":[],"challenge":"AAAA","response":{}}"#,
            #"{"id":"b","kind":"registration","rpId":"example.com","origin":"https://example.com","expectedType":[],"challenge":"AAAA","response":{}}"#,
            #"{"id":"c","kind":"registration","rpId":"example.com","origin":"https://example.com","currentTimeMs":-1,"challenge":"AAAA","response":{}}"#,
        ].joined(separator: "\n")
        let result = try FidoctlRunner.run(["verify", "batch", "-"], stdin: Data(batch.utf8))
        let messages = result.verdicts.map { (($0["error"] as? [String: Any])?["message"] as? String) ?? "" }
        #expect(messages.count == 3)
        #expect(messages.first?.contains("origin is an empty array") == true, "\(messages)")
        #expect(messages.dropFirst().first?.contains("expectedType is empty") == true, "\(messages)")
        #expect(messages.last?.contains("currentTimeMs is negative") == true, "\(messages)")
    }

    @Test func usageErrorsNameTheirSubcommandAndMessagesAreSentences() throws {
        try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.home) }
        let state = self.home.appendingPathComponent("phone.json").path
        let uri = "fidokit-push://enroll?ticket=a&secret=b&server=https://dash.example.com"
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", state]).status == 0)
        let approve = try FidoctlRunner.run(["push-device", "approve", "--state", state, "--device-id", "d"])
        #expect(approve.status == 64)
        #expect(approve.stderr.contains("Usage: fidoctl push-device approve"), "\(approve.stderr)")
        let signCount = try FidoctlRunner.run(["assert", "--device", "virtual", "--rp-id", "localhost", "--sign-count", "3"])
        #expect(signCount.status == 64)
        #expect(signCount.stderr.contains("--public-key"))
        let otp = try FidoctlRunner.run(["otp", "verify", "--secret", "JBSWY3DPEHPK3PXP", "--code", "000000", "--time", "0", "--window", "0"])
        #expect(otp.status == 1)
        #expect(otp.stderr.contains("does not match"), "\(otp.stderr)")
    }

    @Test func anAssertionWithAGivenChallengePipesIntoTheVerifier() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let enrolled = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada", "--resident-key"],
            environment: self.environment
        )
        let publicKey = try #require(enrolled.verdicts.last?["publicKey"] as? String)
        let challenge = "AAECAwQFBgcICQoLDA0ODw"
        let result = try FidoctlRunner.shell(
            """
            "$FIDOCTL" assert --device virtual --rp-id example.com --challenge \(challenge) 2>/dev/null | head -1 \\
              | "$FIDOCTL" verify authentication --rp-id example.com --origin https://example.com \\
                  --challenge \(challenge) --public-key \(publicKey)
            """,
            environment: self.environment
        )
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.verdicts.first?["verified"] as? Bool == true)
        #expect(try FidoctlRunner.run(["assert", "--device", "virtual", "--rp-id", "example.com", "--challenge", "AA"]).status == 64)
    }
}
