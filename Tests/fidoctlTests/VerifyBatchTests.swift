import Foundation
import Testing

/// `fidoctl verify batch`: one verdict per line, in input order, carrying ids; bad lines get
/// their own rejection and the batch goes on.
struct VerifyBatchTests {
    func line(_ path: String, id: String, challenge: String? = nil) throws -> String {
        let sample = try FidoctlRunner.sample(path)
        var line: [String: Any] = [
            "id": id, "kind": sample["ceremony"] ?? "", "rpId": sample["rpId"] ?? "", "origin": sample["origin"] ?? "",
            "challenge": challenge ?? sample["challenge"] ?? "", "response": sample["response"] ?? [:],
        ]
        if let key = sample["credentialPublicKey"] { line["credentialPublicKey"] = key }
        if let count = sample["storedSignCount"] { line["storedSignCount"] = count }
        return String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self)
    }

    @Test func verdictsComeBackInOrderWithIDs() throws {
        let good = "simplewebauthn/aut-assertion-should_verify_an_assertion_response.json"
        let registration = "py_webauthn/reg-none-verifies_none_attestation_response.json"
        let bad = "simplewebauthn/aut-assertion-should_throw_when_response_challenge_is_not_expected_value.json"
        var lines: [String] = []
        var expected: [(String, Bool)] = []
        for index in 0..<60 {
            switch index % 4 {
            case 0: lines.append(try self.line(good, id: "line-\(index)")); expected.append(("line-\(index)", true))
            case 1: lines.append(try self.line(registration, id: "line-\(index)")); expected.append(("line-\(index)", true))
            case 2:
                // The sample's expected challenge, "shouldhavebeenthisvalue", is not canonical
                // base64url (its last character has bits set): the same text, encoded.
                lines.append(try self.line(bad, id: "line-\(index)", challenge: "c2hvdWxkaGF2ZWJlZW50aGlzdmFsdWU"))
                expected.append(("line-\(index)", false))
            default:
                lines.append(#"{"id":"line-\#(index)","kind":"registration","rpId":5}"#)
                expected.append(("line-\(index)", false))
            }
        }
        // Blank and whitespace-only lines get a rejected verdict of their own: verdict N is line N's.
        lines.insert("", at: 10)
        expected.insert(("", false), at: 10)
        lines.insert(" \t\r", at: 20)
        expected.insert(("", false), at: 20)
        let result = try FidoctlRunner.run(["verify", "batch", "-"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 1)
        let verdicts = result.verdicts
        #expect(verdicts.count == expected.count)
        for (verdict, (id, verified)) in zip(verdicts, expected) {
            #expect(verdict["id"] as? String == (id.isEmpty ? nil : id))
            #expect(verdict["verified"] as? Bool == verified)
        }
        for blank in [10, 20] {
            let error = verdicts[blank]["error"] as? [String: Any]
            #expect(error?["code"] as? String == "empty_line")
            #expect(error?["message"] as? String == "Line \(blank + 1) is empty.")
        }
        let malformed = verdicts[3]["error"] as? [String: Any]
        #expect(malformed?["code"] as? String == "malformed_json")
        let challenge = verdicts[2]["error"] as? [String: Any]
        #expect(challenge?["code"] as? String == "challenge_mismatch")
    }

    /// A line whose RP ID or origin is not valid is rejected for that, before its response is read.
    @Test func invalidRPIDsAndOriginsGetTheirOwnCodes() throws {
        let lines = [
            #"{"id":"a","kind":"registration","rpId":"Example.com","origin":"https://example.com","challenge":"AAAA","response":{}}"#,
            #"{"id":"b","kind":"registration","rpId":"example.com","origin":"http://example.com","challenge":"AAAA","response":{}}"#,
            #"{"id":"c","kind":"registration","rpId":"https://example.com","origin":["https://example.com"],"challenge":"AAAA","response":{}}"#,
        ]
        let result = try FidoctlRunner.run(["verify", "batch"], stdin: Data(lines.joined(separator: "\n").utf8))
        #expect(result.status == 1)
        let codes = result.verdicts.map { ($0["error"] as? [String: Any])?["code"] as? String }
        #expect(codes == ["invalid_rp_id", "invalid_origin", "invalid_rp_id"])
        #expect(result.verdicts.map { $0["id"] as? String } == ["a", "b", "c"])
    }

    @Test func notJSONAtAllStillGetsAVerdict() throws {
        let result = try FidoctlRunner.run(["verify", "batch"], stdin: Data("garbage\n{\"id\":\"x\"}\n".utf8))
        #expect(result.status == 1)
        #expect(result.verdicts.count == 2)
        #expect(result.verdicts[0]["id"] == nil)
        #expect(result.verdicts[1]["id"] as? String == "x")
    }

    @Test func allVerifiedExitsZeroAndFilesWork() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID()).jsonl")
        let text = try self.line("py_webauthn/reg-none-verifies_none_attestation_response.json", id: "only") + "\n"
        try text.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try FidoctlRunner.run(["verify", "batch", path.path, "--jobs", "3"])
        #expect(result.status == 0)
        #expect(result.verdicts.first?["verified"] as? Bool == true)
        let missing = try FidoctlRunner.run(["verify", "batch", "/nonexistent.jsonl"])
        #expect(missing.status == 66)  // EX_NOINPUT, not a usage error
        #expect(!missing.stderr.contains("Usage:"))
    }
}

/// The optional policy members of a batch line.
struct VerifyBatchPolicyTests {
    @Test func expectedTypeAndAllowedAlgorithmsApply() throws {
        let sample = try FidoctlRunner.sample("simplewebauthn/reg-none-should_verify_none_attestation.json")
        func run(_ extra: [String: Any]) throws -> [String: Any] {
            var line: [String: Any] = [
                "id": "x", "kind": "registration", "rpId": sample["rpId"] ?? "", "origin": sample["origin"] ?? "",
                "challenge": sample["challenge"] ?? "", "response": sample["response"] ?? [:],
            ]
            line.merge(extra) { $1 }
            let data = try JSONSerialization.data(withJSONObject: line)
            return try FidoctlRunner.run(["verify", "batch"], stdin: data).verdicts.first ?? [:]
        }
        #expect(try run([:])["verified"] as? Bool == true)
        #expect(((try run(["expectedType": "payment.get"]))["error"] as? [String: Any])?["code"] as? String == "client_data_type_mismatch")
        #expect(((try run(["allowedAlgorithms": [-8]]))["error"] as? [String: Any])?["code"] as? String == "algorithm_not_allowed")
        #expect(((try run(["allowedAlgorithms": ["x"]]))["error"] as? [String: Any])?["code"] as? String == "malformed_json")
    }
}
