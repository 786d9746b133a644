import Foundation
import Testing

/// `fidoctl enroll`'s relying party and challenge, as a browser would check them: RP IDs that
/// are not valid domains and origins that may not use them are usage errors (exit 64); the
/// challenge can be given, and `--output response` pipes into `fidoctl verify registration`.
struct EnrollOptionsTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-enroll-\(UUID().uuidString)")

    var environment: [String: String] { ["XDG_DATA_HOME": self.home.path] }

    static let invalidRPIDs = [
        "", "https://example.com", "not a domain", "exa_mple..com", String(repeating: "a", count: 300),
        "Example.com", "example.com:443", "example.com/path", ".example.com", "example.com.", "-example.com",
        "192.168.0.1", "[::1]", "exämple.com", String(repeating: "a", count: 64) + ".com",
    ]

    /// `--rp-id ID`, or `--rp-id=ID` for an id that would read as an option.
    static func rpIDArguments(_ rpID: String) -> [String] {
        rpID.hasPrefix("-") ? ["--rp-id=\(rpID)"] : ["--rp-id", rpID]
    }

    @Test(arguments: Self.invalidRPIDs)
    func invalidRPIDsAreUsageErrors(_ rpID: String) throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try FidoctlRunner.run(
            ["enroll", "--device", "virtual"] + Self.rpIDArguments(rpID) + ["--user", "ada"],
            environment: self.environment
        )
        #expect(result.status == 64, "\(rpID): \(result.stdout)")
        #expect(result.stderr.contains("is not a valid RP ID"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let verify = try FidoctlRunner.run(
            ["verify", "registration"] + Self.rpIDArguments(rpID) + ["--origin", "https://example.com", "--challenge", "AAAA"]
        )
        #expect(verify.status == 64)
    }

    @Test(
        arguments: [
            ("localhost", nil), ("example.com", "https://login.example.com"), ("xn--exmple-cua.com", nil),
            ("localhost", "http://localhost:8080"),
        ] as [(String, String?)]
    )
    func validRPIDsAndOriginsEnroll(_ rpID: String, _ origin: String?) throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", rpID, "--user", "ada"] + (origin.map { ["--origin", $0] } ?? []),
            environment: self.environment
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.verdicts.last?["verified"] as? Bool == true)
    }

    @Test(arguments: [
        "https://evil.example", "http://example.com", "https://example.com/login", "ftp://example.com",
        "https://example.com:99999", "example.com", "https://notexample.com",
    ])
    func originsThatMayNotUseTheRPIDAreUsageErrors(_ origin: String) throws {
        let result = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada", "--origin", origin],
            environment: self.environment
        )
        #expect(result.status == 64, "\(origin)")
        #expect(result.stderr.contains("origin"))
    }

    /// Values that no key accepts are usage errors, not "the key stopped answering".
    @Test(arguments: [
        ["--user", ""], ["--user", String(repeating: "a", count: 20_000)], ["--user", "a", "--timeout-ms", "0"],
        ["--user", "a", "--challenge", "AAAA"],
    ])
    func valuesNoKeyAcceptsAreUsageErrors(_ extra: [String]) throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com"] + extra,
            environment: self.environment
        )
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func enrollPipesIntoVerifyRegistration() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let challenge = "AAECAwQFBgcICQoLDA0ODw"
        let piped = try FidoctlRunner.shell(
            """
            set -e
            "$FIDOCTL" enroll --device virtual --rp-id example.com --user ada --challenge \(challenge) --output response \
              | "$FIDOCTL" verify registration --rp-id example.com --origin https://example.com --challenge \(challenge)
            """,
            environment: self.environment
        )
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.verdicts.count == 1)
        #expect(piped.verdicts.first?["verified"] as? Bool == true)
        #expect(piped.verdicts.first?["format"] as? String == "packed")

        // Another challenge is refused: the one given is the one signed.
        let other = try FidoctlRunner.shell(
            """
            "$FIDOCTL" enroll --device virtual --rp-id example.com --user ada --challenge \(challenge) --output response \
              | "$FIDOCTL" verify registration --rp-id example.com --origin https://example.com --challenge AAECAwQFBgcICQoLDA0OEA
            """,
            environment: self.environment
        )
        #expect(other.status == 1)
        #expect((other.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "challenge_mismatch")
    }

    @Test func outputChoosesTheLinesAndARandomChallengeIsShown() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let verdict = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada", "--output", "verdict"],
            environment: self.environment
        )
        #expect(verdict.status == 0)
        #expect(verdict.verdicts.count == 1)
        #expect(verdict.verdicts.first?["verified"] as? Bool == true)
        let challenge = try #require(verdict.stderr.split(separator: "\n").first { $0.hasPrefix("Challenge: ") })
        #expect(challenge.dropFirst("Challenge: ".count).count == 43)  // 32 random bytes

        let bad = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada", "--challenge", "short"],
            environment: self.environment
        )
        #expect(bad.status == 64)
    }
}
