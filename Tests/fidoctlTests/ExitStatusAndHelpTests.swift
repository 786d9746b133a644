import Foundation
import Testing

/// fidoctl's exit statuses follow sysexits(3) — 64 only for usage errors, 69 when no key or
/// service is reachable (without a usage line), 1 for a refusal, 74 for I/O — and its help says
/// each thing once, under one name, with examples.
struct ExitStatusAndHelpTests {
    /// No key is plugged in where the tests run: a runtime failure, not a usage error.
    @Test func noKeyIsUnavailableWithoutAUsageLine() throws {
        let result = try FidoctlRunner.run(["info", "--device", "/dev/hidraw-none"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("No key at /dev/hidraw-none"))
        #expect(!result.stderr.contains("Usage:"))
        let usage = try FidoctlRunner.run(["enroll", "--rp-id", "example.com"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Usage:"))
    }

    @Test func versionIsPrinted() throws {
        let result = try FidoctlRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    static let commands: [[String]] = [
        ["enroll"], ["assert"], ["info"], ["pin", "set"], ["pin", "change"], ["pin", "status"],
        ["credentials", "list"], ["credentials", "delete"], ["reset"], ["verify", "registration"],
        ["verify", "authentication"], ["verify", "batch"], ["bench", "assertions"],
    ]

    @Test(arguments: Self.commands)
    func helpSaysEachThingOnceWithExamples(_ command: [String]) throws {
        let result = try FidoctlRunner.run(command + ["--help"])
        #expect(result.status == 0)
        let help = result.stdout
        #expect(help.contains("Example"), "\(command)")
        #expect(!help.contains("enrol "))
        #expect(!help.contains("enrolment"))
        for line in help.split(separator: "\n") {
            #expect(line.components(separatedBy: "default").count <= 2, "\(command): \(line)")
        }
        #expect(!help.contains("--user-verification"))  // one name: --require-user-verification
    }

    @Test(arguments: [["info"], ["pin", "status"], ["reset"]])
    func commandsThatNeverAskForAPINDoNotOfferPINFile(_ command: [String]) throws {
        let help = try FidoctlRunner.run(command + ["--help"]).stdout
        #expect(!help.contains("--pin-file"))
    }

    @Test func userVerificationHasOneNameAndTheOldOneStillParses() throws {
        let help = try FidoctlRunner.run(["enroll", "--help"]).stdout
        #expect(help.contains("--require-user-verification"))
        let old = try FidoctlRunner.run(["enroll", "--user-verification", "--rp-id", "bad id", "--user", "a"])
        #expect(old.status == 64)
        #expect(!old.stderr.contains("Unknown option"))
        #expect(old.stderr.contains("is not a valid RP ID"))
    }

    @Test func benchAssertionsRefusesZeroSecondsAndNamesItsRatio() throws {
        let zero = try FidoctlRunner.run(["bench", "assertions", "--seconds", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--seconds must be more than 0"))
        let ran = try FidoctlRunner.run(["bench", "assertions", "--algorithms", "es256", "--credentials", "2", "--operations", "200", "--rounds", "1"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.contains("ratio (ceremony time / bare time"))
        #expect(!ran.stdout.contains("nan"))
    }
}
