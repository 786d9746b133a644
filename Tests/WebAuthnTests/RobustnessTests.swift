import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn

/// Seeded truncations, bit flips and random bytes derived from valid, fully signed
/// registrations and assertions: none crashes, and every one is rejected with a typed error.
struct RobustnessTests {
    static let mutantsPerBase = 400

    struct Base: Sendable, CustomTestStringConvertible {
        var name: String
        var authenticator: TestAuthenticator
        var anchors: Bool
        var testDescription: String { self.name }
    }

    static let ca: TestAttestationCA = {
        // swift-format-ignore: NeverUseForceTry
        try! TestAttestationCA()
    }()

    static let registrationBases: [Base] = {
        var bases: [Base] = []
        for algorithm in [COSEAlgorithm.es256, .edDSA, .rs256] {
            var authenticator = TestAuthenticator(algorithm)
            authenticator.attestation = .packedSelf
            bases.append(Base(name: "packed self \(algorithm)", authenticator: authenticator, anchors: false))
        }
        var x5c = TestAuthenticator()
        x5c.attestation = .packedX5C(ca, .init(aaguidExtension: TestAuthenticator.aaguid))
        bases.append(Base(name: "packed x5c", authenticator: x5c, anchors: true))
        var u2f = TestAuthenticator()
        u2f.attestation = .fidoU2F(ca)
        bases.append(Base(name: "fido-u2f", authenticator: u2f, anchors: true))
        return bases
    }()

    static let assertionBases: [Base] = [COSEAlgorithm.es256, .edDSA, .rs256, .ps256, .es384].map {
        var authenticator = TestAuthenticator($0)
        authenticator.signCount = 5
        return Base(name: "assertion \($0)", authenticator: authenticator, anchors: false)
    }

    /// Every mutation of `bytes` this test applies: all truncations, seeded bit flips, seeded
    /// byte replacements and random byte strings of similar length.
    static func mutants(of bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
        var generator = SplitMix64(seed: seed)
        var result: [[UInt8]] = (0..<bytes.count).map { Array(bytes[0..<$0]) }
        for _ in 0..<mutantsPerBase {
            var flipped = bytes
            let flips = 1 + Int(generator.next() % 3)
            for _ in 0..<flips {
                let index = Int(generator.next() % UInt64(bytes.count))
                flipped[index] ^= UInt8(1 << (generator.next() % 8))
            }
            result.append(flipped)
            var replaced = bytes
            replaced[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            if replaced != bytes { result.append(replaced) }
        }
        for _ in 0..<(mutantsPerBase / 4) {
            let length = Int(generator.next() % UInt64(bytes.count * 2 + 1))
            result.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        return result
    }

    @Test(arguments: RobustnessTests.registrationBases)
    func mutatedRegistrationsAreRejected(_ base: Base) async throws {
        let valid = try base.authenticator.registration()
        var policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        if base.anchors { policy.trustAnchors = [Self.ca.root] }
        let verifier = RegistrationVerifier(policy: policy)
        _ = try await verifier.verify(valid, challenge: TestAuthenticator.challenge)

        var checked = 0
        var tolerated = 0
        var accepted: [String] = []
        for (field, seed) in [("attestationObject", UInt64(1)), ("clientDataJSON", 2)] {
            let original = field == "attestationObject" ? valid.response.attestationObject.bytes : valid.response.clientDataJSON.bytes
            for mutant in Self.mutants(of: original, seed: seed) where mutant != original {
                var response = valid
                if field == "attestationObject" {
                    response.response.attestationObject = Base64URLBytes(mutant)
                } else {
                    response.response.clientDataJSON = Base64URLBytes(mutant)
                }
                checked += 1
                do {
                    let result = try await verifier.verify(response, challenge: TestAuthenticator.challenge)
                    // fido-u2f signs rpIdHash, clientDataHash, credential id and key but not the flags,
                    // counter or AAGUID, which the client writes (WebAuthn §8.6): those may vary.
                    let unsignedOnly =
                        base.authenticator.attestation.isFIDOU2F && field == "attestationObject"
                        && result.credential.id == base.authenticator.credentialID
                        && result.credential.publicKey == base.authenticator.key.cosePublicKey
                        && (try? AttestationObject(mutant))?.authenticatorData.rpIDHash
                            == (try? AttestationObject(original))?.authenticatorData.rpIDHash
                    if unsignedOnly {
                        tolerated += 1
                    } else {
                        let positions = zip(original, mutant).enumerated().filter { $0.element.0 != $0.element.1 }
                            .map { "@\($0.offset): \(String($0.element.0, radix: 16))→\(String($0.element.1, radix: 16))" }
                        let context = positions.isEmpty ? "" : original.hex
                        accepted.append("\(field) \(mutant.count) bytes \(positions) \(context)")
                    }
                } catch {
                    #expect(!error.code.rawValue.isEmpty)
                }
            }
        }
        #expect(accepted.isEmpty, "accepted mutants: \(accepted.prefix(5))")
        #expect(checked > 1000)
        print(
            "robustness: \(base.name): \(checked) mutated registrations, \(checked - tolerated) rejected, "
                + "\(tolerated) verified with only U2F's unsigned flags/counter/AAGUID changed"
        )
    }

    @Test(arguments: RobustnessTests.assertionBases)
    func mutatedAssertionsAreRejected(_ base: Base) throws {
        let valid = base.authenticator.assertion()
        let expectation = try base.authenticator.expectation(storedSignCount: 4)
        let verifier = AuthenticationVerifier(policy: AuthenticationPolicy(relyingParty: TestAuthenticator.relyingParty))
        _ = try verifier.verify(valid, expecting: expectation)

        var checked = 0
        var accepted = 0
        for (field, seed) in [("authenticatorData", UInt64(3)), ("clientDataJSON", 4), ("signature", 5)] {
            let original: [UInt8]
            switch field {
            case "authenticatorData": original = valid.response.authenticatorData.bytes
            case "clientDataJSON": original = valid.response.clientDataJSON.bytes
            default: original = valid.response.signature.bytes
            }
            for mutant in Self.mutants(of: original, seed: seed) where mutant != original {
                var response = valid
                switch field {
                case "authenticatorData": response.response.authenticatorData = Base64URLBytes(mutant)
                case "clientDataJSON": response.response.clientDataJSON = Base64URLBytes(mutant)
                default: response.response.signature = Base64URLBytes(mutant)
                }
                checked += 1
                if (try? verifier.verify(response, expecting: expectation)) != nil {
                    accepted += 1
                }
            }
        }
        #expect(accepted == 0)
        #expect(checked > 1000)
        print("robustness: \(base.name): \(checked) mutated assertions, all rejected")
    }

    @Test func peerSamplesSurviveMutation() async throws {
        // Unsigned parts of real samples (none attestation, single-certificate x5c without an
        // anchor) may legitimately verify after mutation; what must hold is that nothing crashes.
        var checked = 0
        for sample in PeerSampleTests.samples where sample.json["ceremony"] as? String == "registration" {
            guard let response = sample.json["response"] as? [String: Any],
                let inner = response["response"] as? [String: Any],
                let object = (inner["attestationObject"] as? String).flatMap(Base64URL.decode)
            else { continue }
            for (index, mutant) in Self.mutants(of: object, seed: UInt64(checked)).enumerated() where index % 41 == 0 {
                var mutated = response
                var mutatedInner = inner
                mutatedInner["attestationObject"] = Base64URL.encode(mutant)
                mutated["response"] = mutatedInner
                let data = try JSONSerialization.data(withJSONObject: mutated)
                guard let decoded = try? JSONDecoder().decode(RegistrationResponseJSON.self, from: data) else { continue }
                let policy = RegistrationPolicy(
                    relyingParty: RelyingParty(id: sample.json["rpId"] as? String ?? "", origins: [])
                )
                _ = try? await RegistrationVerifier(policy: policy).verify(decoded, challenge: [])
                checked += 1
            }
        }
        #expect(checked > 400)
        print("robustness: \(checked) mutated peer attestation objects, none crashed")
    }
}

extension TestAuthenticator.Attestation {
    var isFIDOU2F: Bool {
        if case .fidoU2F = self { return true }
        return false
    }
}
