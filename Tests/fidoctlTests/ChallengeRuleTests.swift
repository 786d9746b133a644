import Foundation
import Testing

/// One challenge rule everywhere: canonical base64url without padding. `verify --challenge`,
/// `enroll`/`assert --challenge` refuse another spelling with exit 64; a batch line with one
/// gets a `malformed_base64` verdict.
struct ChallengeRuleTests {
    /// The same 16 bytes (00 01 … 0f) spelled the ways the rule refuses.
    static let otherSpellings = [
        "AAECAwQFBgcICQoLDA0ODw==",  // padded
        "AAECAwQFBgcICQoLDA0ODx",  // trailing bits set
        "AAECAwQFBgcICQoLDA0O+w",  // standard alphabet
        "AAECAwQFBgcICQoLDA0O/w",
        "AAECAwQFBgcICQoLDA0OD",  // 4n+1 characters
    ]
    static let canonical = "AAECAwQFBgcICQoLDA0ODw"

    @Test func everyCommandRefusesAnotherSpelling() throws {
        let home = ["XDG_DATA_HOME": NSTemporaryDirectory() + "fidoctl-challenge-\(UUID().uuidString)"]
        for spelling in Self.otherSpellings {
            let commands = [
                ["verify", "registration", "--rp-id", "example.com", "--origin", "https://example.com", "--challenge", spelling],
                ["verify", "authentication", "--rp-id", "example.com", "--origin", "https://example.com", "--challenge", spelling],
                ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "u", "--challenge", spelling],
                ["assert", "--device", "virtual", "--rp-id", "example.com", "--challenge", spelling],
            ]
            for command in commands {
                let result = try FidoctlRunner.run(command, stdin: Data("{}".utf8), environment: home)
                #expect(result.status == 64, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("base64url"), "\(command): \(result.stderr)")
            }
        }
        let accepted = try FidoctlRunner.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "u", "--challenge", Self.canonical],
            environment: home
        )
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test func batchLinesWithAnotherSpellingAreMalformedBase64() throws {
        let sample = try FidoctlRunner.sample("py_webauthn/reg-none-verifies_none_attestation_response.json")
        let own = try #require(sample["challenge"] as? String)
        let lines = try (Self.otherSpellings + [own]).enumerated().map { index, spelling in
            let line: [String: Any] = [
                "id": "\(index)", "kind": "registration", "rpId": sample["rpId"] ?? "", "origin": sample["origin"] ?? "",
                "challenge": spelling, "response": sample["response"] ?? [:],
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self)
        }
        let result = try FidoctlRunner.run(["verify", "batch"], stdin: Data(lines.joined(separator: "\n").utf8))
        let codes = result.verdicts.map { ($0["error"] as? [String: Any])?["code"] as? String }
        #expect(codes.count == lines.count)
        #expect(Array(codes.prefix(Self.otherSpellings.count)) == Array(repeating: "malformed_base64", count: Self.otherSpellings.count))
        // The sample's own (canonical) challenge verifies.
        #expect(result.verdicts.last?["verified"] as? Bool == true, "\(result.stdout)")
    }
}
