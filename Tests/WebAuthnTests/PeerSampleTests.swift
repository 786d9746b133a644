import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn

/// Real registration and authentication samples from py_webauthn, SimpleWebAuthn and
/// webauthn-rs (Fixtures/webauthn/peers): every registration of every format and every assertion
/// gets the peer's verdict under the peer's own options, except the documented differences in
/// `Fixtures/webauthn/peer-verdict-differences.json`; each rejection has the reviewed error code of
/// `Fixtures/webauthn/peer-rejection-codes.json`.
struct PeerSampleTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var path: String
        var data: Data
        var testDescription: String { self.path }
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: self.data)) as? [String: Any]) ?? [:] }
        var format: String { self.json["format"] as? String ?? "" }
        var expectedPass: Bool { (self.json["expected"] as? String) == "pass" }
    }

    static let samples: [Sample] = {
        let root = FixturePath.url("webauthn/peers")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var samples: [Sample] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json", let data = try? Data(contentsOf: url) else { continue }
            let relative = url.path.replacingOccurrences(of: root.path + "/", with: "")
            samples.append(Sample(path: relative, data: data))
        }
        return samples.sorted { $0.path < $1.path }
    }()

    /// The documented differences: FIDOKit's code, or "accepted" where it accepts what the peer rejected.
    static let differences = Self.codes(in: "webauthn/peer-verdict-differences.json", null: "accepted")

    /// FIDOKit's error code for each sample its peer rejects (and that is not a documented
    /// difference); each entry of the file gives the peer's own error beside FIDOKit's code.
    static let rejectionCodes = Self.codes(in: "webauthn/peer-rejection-codes.json", null: nil)

    /// The `code` of each entry of a fixture table keyed by sample path; `null` stands for a null code.
    static func codes(in file: String, null: String?) -> [String: String] {
        guard let data = try? Data(contentsOf: FixturePath.url(file)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var codes: [String: String] = [:]
        for (path, value) in object {
            guard let entry = value as? [String: Any], let code = entry["code"] as? String ?? null else { continue }
            codes[path] = code
        }
        return codes
    }

    @Test func everyRejectedSampleHasItsCode() {
        let rejected = Self.samples.filter { !$0.expectedPass && Self.differences[$0.path] == nil }.map(\.path)
        #expect(rejected.count == 27)
        #expect(Set(Self.rejectionCodes.keys) == Set(rejected))
    }

    @Test func everySampleIsLoaded() {
        #expect(Self.samples.count == 91)
        let formats = Set(Self.samples.map(\.format))
        #expect(formats == ["none", "packed", "fido-u2f", "assertion", "tpm", "android-key", "android-safetynet", "apple"])
    }

    @Test(arguments: PeerSampleTests.samples)
    func verdictMatchesThePeer(_ sample: Sample) async throws {
        let outcome = try await Self.verify(sample)
        if let code = Self.differences[sample.path] {
            #expect((outcome ?? "accepted") == code)
        } else if sample.expectedPass {
            #expect(outcome == nil)
        } else {
            #expect(outcome == Self.rejectionCodes[sample.path])
            #expect(outcome != nil)
        }
    }

    /// Verifies a sample with the options its peer test used; returns the error code or `nil`.
    static func verify(_ sample: Sample) async throws -> String? {
        let json = sample.json
        let rpIDs = (json["rpId"] as? [String]) ?? [(json["rpId"] as? String) ?? ""]
        let origins = (json["origin"] as? [String]) ?? [(json["origin"] as? String) ?? ""]
        let options = json["options"] as? [String: Any] ?? [:]
        let peerPolicy = json["peerPolicy"] as? String ?? ""
        let requireUV =
            (options["requireUserVerification"] as? Bool) ?? (options["require_user_verification"] as? Bool)
            ?? peerPolicy.contains("UserVerificationPolicy::Required")
        let types = (options["expectedType"] as? [String]) ?? (options["expectedType"] as? String).map { [$0] }
        let challenge = try #require(Base64URL.decode(json["challenge"] as? String ?? ""))
        let response = try JSONSerialization.data(withJSONObject: try #require(json["response"]))
        var lastError: String? = "no rp id"
        // A peer that accepts several RP IDs accepts the response if any of them verifies it.
        for rpID in rpIDs {
            let relyingParty = RelyingParty(id: rpID, origins: origins)
            do throws(WebAuthnError) {
                if json["ceremony"] as? String == "registration" {
                    var policy = RegistrationPolicy(relyingParty: relyingParty, requireUserVerification: requireUV)
                    if let types { policy.clientDataTypes = types }
                    if let algorithms = Self.peerAlgorithms(peerPolicy) { policy.allowedAlgorithms = algorithms }
                    // The peer's pinned clock, or the time FIDOKit added for expired samples that lack one.
                    if let milliseconds = (json["currentTimeMs"] ?? json["fidokitCurrentTimeMs"]) as? Double {
                        policy.verificationTime = Date(timeIntervalSince1970: milliseconds / 1000)
                    }
                    // py_webauthn and SimpleWebAuthn accept SHA-1 TPM signatures (FIDOKit: opt-in).
                    if json["format"] as? String == "tpm" && !sample.path.hasPrefix("webauthn-rs/") {
                        policy.allowRS1 = true
                        // SimpleWebAuthn's default supportedAlgorithmIDs include RS1 (-65535).
                        if sample.path.hasPrefix("simplewebauthn/") { policy.allowedAlgorithms.append(.rs1) }
                    }
                    if options["attestationSafetyNetEnforceCTSCheck"] as? Bool == false {
                        policy.formatPolicy.safetyNetRequiresCTSProfileMatch = false
                    }
                    let decoded: RegistrationResponseJSON
                    do {
                        decoded = try JSONDecoder().decode(RegistrationResponseJSON.self, from: response)
                    } catch {
                        throw WebAuthnError(.malformedJSON, "")
                    }
                    _ = try await RegistrationVerifier(policy: policy).verify(decoded, challenge: challenge)
                } else {
                    var policy = AuthenticationPolicy(relyingParty: relyingParty, requireUserVerification: requireUV)
                    if let types { policy.clientDataTypes = types }
                    let decoded: AuthenticationResponseJSON
                    do {
                        decoded = try JSONDecoder().decode(AuthenticationResponseJSON.self, from: response)
                    } catch {
                        throw WebAuthnError(.malformedJSON, "")
                    }
                    let key = try COSEKey(cbor: Base64URL.decode(json["credentialPublicKey"] as? String ?? "") ?? [])
                    let stored = UInt32((json["storedSignCount"] as? Double) ?? 0)
                    _ = try AuthenticationVerifier(policy: policy).verify(
                        decoded,
                        expecting: AuthenticationExpectation(challenge: challenge, publicKey: key, storedSignCount: stored)
                    )
                }
                return nil
            } catch {
                lastError = error.code.rawValue
            }
        }
        return lastError
    }

    /// The algorithms a webauthn-rs test allowed (`COSEAlgorithm::ES256`, …), when it lists them.
    static func peerAlgorithms(_ peerPolicy: String) -> [COSEAlgorithm]? {
        let names: [(String, COSEAlgorithm)] = [
            ("COSEAlgorithm::ES256", .es256), ("COSEAlgorithm::ES384", .es384), ("COSEAlgorithm::ES512", .es512),
            ("COSEAlgorithm::RS256", .rs256), ("COSEAlgorithm::RS384", .rs384), ("COSEAlgorithm::RS512", .rs512),
            ("COSEAlgorithm::PS256", .ps256), ("COSEAlgorithm::PS384", .ps384), ("COSEAlgorithm::PS512", .ps512),
            ("COSEAlgorithm::EDDSA", .edDSA), ("COSEAlgorithm::INSECURE_RS1", .rs1),
        ]
        let found = names.filter { peerPolicy.contains($0.0 + ",") || peerPolicy.contains($0.0 + " ") }.map(\.1)
        return found.isEmpty ? nil : found
    }
}
