import Crypto
import Foundation
import Testing
import X509

/// `fidoctl verify registration|authentication`: the JSON verdict contract and exit statuses.
struct VerifyCommandTests {
    static let yubikey = "py_webauthn/reg-packed_x5c-verify_attestation_from_yubikey_firefox.json"

    func registration(_ sample: [String: Any], extra: [String] = [], challenge: String? = nil) throws -> FidoctlRunner.Result {
        try FidoctlRunner.run(
            [
                "verify", "registration", "--rp-id", sample["rpId"] as? String ?? "",
                "--origin", sample["origin"] as? String ?? "", "--challenge", challenge ?? (sample["challenge"] as? String ?? ""),
            ] + extra,
            stdin: try FidoctlRunner.responseData(sample)
        )
    }

    @Test func verifiedRegistrationPrintsTheContractFields() throws {
        let sample = try FidoctlRunner.sample(Self.yubikey)
        let result = try self.registration(sample)
        #expect(result.status == 0)
        let verdict = try #require(result.verdicts.first)
        #expect(verdict["verified"] as? Bool == true)
        #expect(verdict["format"] as? String == "packed")
        #expect(verdict["attestationType"] as? String == "basic")
        #expect(verdict["trusted"] as? Bool == false)
        #expect(verdict["credentialId"] as? String == (sample["response"] as? [String: Any])?["rawId"] as? String)
        #expect((verdict["publicKey"] as? String)?.hasPrefix("pQECAyYgASFYI") == true)
        #expect(verdict["signCount"] as? Int == 52)
        #expect(verdict["aaguid"] as? String == "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73")
        #expect(verdict["backupEligible"] as? Bool == false)
        #expect(verdict["backupState"] as? Bool == false)
    }

    @Test func rejectedRegistrationExitsOneWithTheErrorCode() throws {
        let sample = try FidoctlRunner.sample(Self.yubikey)
        let result = try self.registration(sample, challenge: "AAAA")
        #expect(result.status == 1)
        let verdict = try #require(result.verdicts.first)
        #expect(verdict["verified"] as? Bool == false)
        let error = try #require(verdict["error"] as? [String: Any])
        #expect(error["code"] as? String == "challenge_mismatch")
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try FidoctlRunner.run(["verify", "registration", "--origin", "https://x", "--challenge", "AA"]).status == 64)
        #expect(try FidoctlRunner.run(["verify", "authentication", "--rp-id", "x.example", "--origin", "https://x.example", "--challenge", "AA"]).status == 64)
        #expect(try FidoctlRunner.run(["verify", "registration", "--rp-id", "x", "--challenge", "AA"]).status == 64)
    }

    @Test func malformedInputIsARejectionNotACrash() throws {
        for input in ["", "not json", "{}", #"{"id":5}"#, "[]"] {
            let result = try FidoctlRunner.run(
                ["verify", "registration", "--rp-id", "x.example", "--origin", "https://x.example", "--challenge", "AA"],
                stdin: Data(input.utf8)
            )
            #expect(result.status == 1)
            let error = result.verdicts.first?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "malformed_json")
        }
    }

    @Test func requireTrustedAttestationWithoutAnchorsRejects() throws {
        let result = try self.registration(try FidoctlRunner.sample(Self.yubikey), extra: ["--require-trusted-attestation"])
        #expect(result.status == 1)
        #expect((result.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "attestation_untrusted")
    }

    @Test func directAttestationNeedsTrustUnlessAllowed() throws {
        let sample = try FidoctlRunner.sample(Self.yubikey)
        let direct = try self.registration(sample, extra: ["--attestation", "direct"])
        #expect((direct.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "attestation_untrusted")
        #expect(try self.registration(sample, extra: ["--attestation", "direct", "--allow-untrusted-attestation"]).status == 0)
        #expect(try self.registration(sample, extra: ["--attestation", "indirect"]).status == 0)
        #expect(try self.registration(sample, extra: ["--attestation", "sometimes"]).status == 64)
    }

    @Test func trustAnchorsThatDoNotMatchReject() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Unrelated Root") }
        let root = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600),
            notValidAfter: Date().addingTimeInterval(3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-anchor-\(UUID()).pem")
        try root.serializeAsPEM().pemString.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try self.registration(try FidoctlRunner.sample(Self.yubikey), extra: ["--trust-anchors", file.path])
        #expect(result.status == 1)
        #expect((result.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "attestation_untrusted")
        // Scoped to the sample's format or model, the anchor applies; scoped elsewhere, it does not.
        for scope in ["packed", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"] {
            let scoped = try self.registration(try FidoctlRunner.sample(Self.yubikey), extra: ["--trust-anchors-for", "\(scope)=\(file.path)"])
            #expect((scoped.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "attestation_untrusted")
        }
        let elsewhere = try self.registration(try FidoctlRunner.sample(Self.yubikey), extra: ["--trust-anchors-for", "tpm=\(file.path)"])
        #expect(elsewhere.status == 0)
    }

    @Test func currentTimeMsMovesTheCertificateClock() throws {
        let sample = try FidoctlRunner.sample(Self.yubikey)
        // The YubiKey's attestation certificate is valid from 2014-08-01 to 2050-09-04.
        let before = try self.registration(sample, extra: ["--current-time-ms", "946684800000"])
        #expect(before.status == 1)
        #expect((before.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "certificate_expired")
        let during = try self.registration(sample, extra: ["--current-time-ms", "1600000000000"])
        #expect(during.status == 0)
    }

    @Test func authenticationPrintsTheNewSignCount() throws {
        let sample = try FidoctlRunner.sample("simplewebauthn/aut-assertion-should_verify_an_assertion_response.json")
        let arguments = [
            "verify", "authentication", "--rp-id", sample["rpId"] as? String ?? "", "--origin", sample["origin"] as? String ?? "",
            "--challenge", sample["challenge"] as? String ?? "", "--public-key", sample["credentialPublicKey"] as? String ?? "",
        ]
        let verified = try FidoctlRunner.run(arguments + ["--sign-count", "143"], stdin: try FidoctlRunner.responseData(sample))
        #expect(verified.status == 0)
        #expect(verified.verdicts.first?["signCount"] as? Int == 144)
        #expect(verified.verdicts.first?["verified"] as? Bool == true)

        let cloned = try FidoctlRunner.run(arguments + ["--sign-count", "144"], stdin: try FidoctlRunner.responseData(sample))
        #expect(cloned.status == 1)
        #expect((cloned.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "sign_count_regression")

        let badKey = try FidoctlRunner.run(
            Array(arguments.dropLast()) + ["AAAA"],
            stdin: try FidoctlRunner.responseData(sample)
        )
        #expect(badKey.status == 1)
        #expect((badKey.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "malformed_public_key")
    }
}
