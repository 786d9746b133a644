import CBOR
import Crypto
import Foundation
import Testing
import WebAuthn
import X509

/// `apple` (WebAuthn §8.8): a valid statement from a test anonymization CA verifies; each test
/// breaks exactly one requirement.
struct AppleAttestationTests {
    let ca: TestAttestationCA
    init() throws { self.ca = try TestAttestationCA(name: "FIDOKit Test Apple Anonymization CA") }

    func authenticator(_ statement: AppleStatement) -> TestAuthenticator {
        var authenticator = TestAuthenticator()
        authenticator.attestation = statement.attestation
        return authenticator
    }

    func policy(anchors: [Certificate] = []) -> RegistrationPolicy {
        RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: anchors)
    }

    @Test func aValidStatementVerifiesAsAnonymizationCA() async throws {
        let response = try self.authenticator(AppleStatement(ca: self.ca)).registration()
        let verified = try await RegistrationVerifier(policy: self.policy(anchors: [self.ca.root]))
            .verify(response, challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.format == .apple)
        #expect(verified.attestation.type == .anonCA)
        #expect(verified.attestation.trusted)
        #expect(verified.attestation.trustPath.count == 2)
        // Without the caller's anchor, the bundled Apple root does not reach it: untrusted, not refused.
        let untrusted = try await RegistrationVerifier(policy: self.policy())
            .verify(response, challenge: TestAuthenticator.challenge)
        #expect(!untrusted.attestation.trusted)
    }

    @Test func theNonceMustBindThisRegistration() async throws {
        let wrong = AppleStatement(ca: self.ca, nonce: Array(repeating: 7, count: 32))
        #expect(try await Outcome.registration(self.authenticator(wrong)) == .attestationNonceMismatch)
    }

    @Test func theNonceExtensionMustBePresent() async throws {
        let missing = AppleStatement(ca: self.ca, omitNonceExtension: true)
        #expect(try await Outcome.registration(self.authenticator(missing)) == .attestationCertificateInvalid)
    }

    @Test func theNonceExtensionMustBeWellFormed() async throws {
        // An OCTET STRING without the [1] wrapper.
        let bare = AppleStatement(ca: self.ca, rawNonceExtension: DERTestEncoding.sequence(DERTestEncoding.octetString(Array(repeating: 1, count: 32))))
        #expect(try await Outcome.registration(self.authenticator(bare)) == .attestationCertificateInvalid)
    }

    @Test func theCertificateMustBeForTheCredentialKey() async throws {
        let other = AppleStatement(ca: self.ca, certifiedKey: TestKey.make(.es256))
        #expect(try await Outcome.registration(self.authenticator(other)) == .attestationKeyMismatch)
    }

    @Test func x5cIsRequired() async throws {
        var authenticator = self.authenticator(AppleStatement(ca: self.ca))
        authenticator.attestationStatementEdit = { $0["x5c"] = nil }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
    }

    @Test func theCallersAnchorsAreRequiredWhenGiven() async throws {
        let other = try TestAttestationCA(name: "Another CA")
        let outcome = try await Outcome.registration(self.authenticator(AppleStatement(ca: self.ca)), self.policy(anchors: [other.root]))
        #expect(outcome == .attestationUntrusted)
        // The webauthn-rs policy of its touchid sample: an anchor list without this authenticator
        // and trusted attestation required.
        var strict = self.policy(anchors: [other.root])
        strict.requireTrustedAttestation = true
        #expect(try await Outcome.registration(self.authenticator(AppleStatement(ca: self.ca)), strict) == .attestationUntrusted)
    }

    @Test func theBundledAppleRootIsTheDefaultAnchor() throws {
        let anchors = self.policy().trustAnchors(format: .apple, aaguid: try #require(AAGUID(bytes: Array(repeating: 0, count: 16))))
        #expect(anchors.callerChosen == false)
        #expect(anchors.anchors.map { $0.subject.description } == ["ST=California,O=Apple Inc.,CN=Apple WebAuthn Root CA"])
        var without = self.policy()
        without.useBundledRoots = false
        #expect(without.trustAnchors(format: .apple, aaguid: try #require(AAGUID(bytes: Array(repeating: 0, count: 16)))).anchors.isEmpty)
    }
}
