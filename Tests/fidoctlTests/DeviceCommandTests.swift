import Foundation
import Testing

/// fidoctl's device commands against `--device virtual` (the software authenticator, its state
/// in a temporary XDG data directory), end to end through libfido2.
struct DeviceCommandTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-\(UUID().uuidString)")

    func run(_ arguments: [String], pin: String? = nil) throws -> FidoctlRunner.Result {
        var environment = ["XDG_DATA_HOME": self.home.path]
        if let pin { environment["FIDOKIT_PIN"] = pin }
        // Options go before a "--", after which everything is positional.
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return try FidoctlRunner.run(
            arguments[..<end] + ["--device", "virtual"] + arguments[end...],
            environment: environment
        )
    }

    @Test func enrollAssertPINCredentialsReset() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let enrolled = try self.run(["enroll", "--rp-id", "example.com", "--user", "ada"])
        #expect(enrolled.status == 0)
        let lines = enrolled.verdicts
        #expect(lines.count == 2)
        let verdict = try #require(lines.last)
        #expect(verdict["verified"] as? Bool == true)
        #expect(verdict["trusted"] as? Bool == true)
        #expect((lines.first?["response"] as? [String: Any])?["attestationObject"] != nil)

        // The state survives between runs: the credential signs in.
        let credentialID = try #require(verdict["credentialId"] as? String)
        let publicKey = try #require(verdict["publicKey"] as? String)
        let asserted = try self.run(["assert", "--rp-id", "example.com", "--credential-id", credentialID, "--public-key", publicKey, "--sign-count", "1"])
        #expect(asserted.status == 0, "\(asserted.stderr)")
        #expect(asserted.verdicts.last?["verified"] as? Bool == true)
        #expect(asserted.verdicts.last?["signCount"] as? Int == 2)

        #expect(try self.run(["pin", "status"]).stdout.contains("No PIN is set."))
        #expect(try self.run(["pin", "set"], pin: "1357").status == 0)
        #expect(try self.run(["pin", "status"]).stdout.contains("8 attempts left"))
        #expect(try self.run(["enroll", "--rp-id", "b.example", "--user", "bob", "--resident-key"], pin: "1357").status == 0)
        let listed = try self.run(["credentials", "list", "--json"], pin: "1357")
        #expect(listed.verdicts.map { $0["userName"] as? String } == ["bob"])

        let wrong = try self.run(["credentials", "list"], pin: "0000")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("Wrong PIN — 7 attempts left."))

        let deleted = try self.run(["credentials", "delete", "--", try #require(listed.verdicts.first?["credentialId"] as? String)], pin: "1357")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let emptied = try self.run(["credentials", "list", "--json"], pin: "1357")
        #expect(emptied.status == 0 && emptied.verdicts.isEmpty, "\(emptied.stdout)\(emptied.stderr)")

        #expect(try self.run(["reset"]).status != 0)  // not confirmed (no terminal)
        #expect(try self.run(["reset", "--yes"]).status == 0)
        #expect(try self.run(["pin", "status"]).stdout.contains("No PIN is set."))
    }

    /// A base64url id begins with "-" one time in 64: it is still a value, not an option (after
    /// "--" for the positional one).
    @Test func aCredentialIDThatBeginsWithADashIsAValue() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let id = "-" + String(repeating: "A", count: 42)
        let asserted = try self.run(["assert", "--rp-id", "example.com", "--credential-id", id])
        #expect(asserted.status == 1 && asserted.stderr.contains("holds no credential for this site"), "\(asserted.stderr)")
        #expect(try self.run(["pin", "set"], pin: "1357").status == 0)
        let deleted = try self.run(["credentials", "delete", "--", id], pin: "1357")
        #expect(deleted.status == 1 && deleted.stderr.contains("holds no credential for this site"), "\(deleted.stderr)")
    }

    @Test func listAndInfo() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let info = try self.run(["info", "--json"])
        #expect(info.status == 0)
        #expect(info.verdicts.first?["versions"] as? [String] == ["FIDO_2_0", "FIDO_2_1"])
        let listed = try FidoctlRunner.run(["list", "--json"])
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("["))
    }
}
