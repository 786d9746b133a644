import CBOR
import Foundation
import Testing
import WebAuthn

/// `android-safetynet` (WebAuthn §8.5): a valid JWS verifies; each test breaks one requirement.
struct AndroidSafetyNetAttestationTests {
    let ca: TestAttestationCA
    init() throws { self.ca = try TestAttestationCA(name: "FIDOKit Test SafetyNet CA") }

    func outcome(_ statement: SafetyNetStatement, _ policy: RegistrationPolicy? = nil) async throws -> WebAuthnError.Code? {
        var authenticator = TestAuthenticator()
        authenticator.attestation = statement.attestation
        var policy = policy ?? RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        policy.verificationTime = TestAttestationCA.now
        return try await Outcome.registration(authenticator, policy)
    }

    @Test func aValidStatementVerifies() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = SafetyNetStatement(ca: self.ca).attestation
        var policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: [self.ca.root])
        // The statement's time: a loaded machine took over the 60 s window between making it and now.
        policy.verificationTime = TestAttestationCA.now
        let verified = try await RegistrationVerifier(policy: policy).verify(try authenticator.registration(), challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.format == .androidSafetyNet)
        #expect(verified.attestation.type == .basic)
        #expect(verified.attestation.trusted)
    }

    @Test func theNonceMustBindThisRegistration() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, nonce: "AAAA")) == .attestationNonceMismatch)
    }

    @Test func ctsProfileMatchIsRequiredUnlessRelaxed() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, ctsProfileMatch: false)) == .attestationPolicyViolation)
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, ctsProfileMatch: nil)) == .attestationPolicyViolation)
        var relaxed = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        relaxed.formatPolicy.safetyNetRequiresCTSProfileMatch = false
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, ctsProfileMatch: false), relaxed) == nil)
    }

    @Test func theTimestampMustBeRecent() async throws {
        #expect(
            try await self.outcome(SafetyNetStatement(ca: self.ca, timestamp: TestAttestationCA.now.addingTimeInterval(-61))) == .attestationPolicyViolation
        )
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, timestamp: TestAttestationCA.now.addingTimeInterval(61))) == .attestationPolicyViolation)
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, timestamp: TestAttestationCA.now.addingTimeInterval(-59))) == nil)
        var wider = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        wider.formatPolicy.safetyNetMaximumAge = 3600
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, timestamp: TestAttestationCA.now.addingTimeInterval(-600)), wider) == nil)
    }

    @Test func theCertificateMustBeForAttestAndroidCom() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, hostname: "attest.example.com")) == .attestationCertificateInvalid)
    }

    @Test func theJWSSignatureMustVerify() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, breakSignature: true)) == .signatureInvalid)
        // The header's algorithm must fit the certificate's key.
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, algorithm: "RS256")) == .signatureInvalid)
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, algorithm: "none")) == .unsupportedAlgorithm)
    }

    @Test func theCertificatesMustBeThere() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, omitX5C: true)) == .malformedAttestationStatement)
    }

    @Test func theVersionMustBeGiven() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, version: "")) == .malformedAttestationStatement)
    }

    @Test func aPayloadThatIsNotJSONIsRefused() async throws {
        #expect(try await self.outcome(SafetyNetStatement(ca: self.ca, payloadOverride: "not json")) == .malformedJSON)
    }

    @Test func aResponseThatIsNotAJWSIsRefused() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = SafetyNetStatement(ca: self.ca).attestation
        authenticator.attestationStatementEdit = { $0["response"] = .byteString(Array("a.b".utf8)) }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
    }
}
