import CBOR
import Testing
import WebAuthn
import X509

/// `android-key` (WebAuthn §8.4): a valid statement verifies; each test breaks one requirement.
struct AndroidKeyAttestationTests {
    let ca: TestAttestationCA
    init() throws { self.ca = try TestAttestationCA(name: "FIDOKit Test Android Keystore CA") }

    func authenticator(_ statement: AndroidKeyStatement, _ algorithm: COSEAlgorithm = .es256) -> TestAuthenticator {
        var authenticator = TestAuthenticator(algorithm)
        authenticator.attestation = statement.attestation
        return authenticator
    }

    @Test(arguments: [COSEAlgorithm.es256, .rs256])
    func aValidStatementVerifies(_ algorithm: COSEAlgorithm) async throws {
        let response = try self.authenticator(AndroidKeyStatement(ca: self.ca), algorithm).registration()
        let policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: [self.ca.root])
        let verified = try await RegistrationVerifier(policy: policy).verify(response, challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.format == .androidKey)
        #expect(verified.attestation.type == .basic)
        #expect(verified.attestation.trusted)
    }

    @Test func theChallengeMustBeTheClientDataHash() async throws {
        let statement = AndroidKeyStatement(ca: self.ca, challenge: Array(repeating: 1, count: 32))
        #expect(try await Outcome.registration(self.authenticator(statement)) == .attestationNonceMismatch)
    }

    @Test func allApplicationsIsRefusedInEitherList() async throws {
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, teeAllApplications: true))) == .attestationPolicyViolation)
        #expect(
            try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, softwareAllApplications: true))) == .attestationPolicyViolation
        )
    }

    @Test func theKeyMustBeGeneratedInTheKeystore() async throws {
        // KM_ORIGIN_IMPORTED = 2.
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, origin: 2))) == .attestationPolicyViolation)
    }

    @Test func theKeyMustBeForSigning() async throws {
        // KM_PURPOSE_ENCRYPT = 0, KM_PURPOSE_DECRYPT = 1.
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, purposes: [0, 1]))) == .attestationPolicyViolation)
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, purposes: [0, 2]))) == nil)
    }

    @Test func softwareEnforcedAuthorizationsPassOnlyUnderTheDefaultPolicy() async throws {
        let software = self.authenticator(AndroidKeyStatement(ca: self.ca, softwareEnforcedOnly: true))
        #expect(try await Outcome.registration(software) == nil)
        var teeOnly = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        teeOnly.formatPolicy.androidKeyAuthorizations = .trustedExecutionEnvironmentOnly
        #expect(try await Outcome.registration(software, teeOnly) == .attestationPolicyViolation)
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca)), teeOnly) == nil)
    }

    @Test func theExtensionMustBePresentAndParse() async throws {
        #expect(try await Outcome.registration(self.authenticator(AndroidKeyStatement(ca: self.ca, omitExtension: true))) == .attestationCertificateInvalid)
        let truncated = AndroidKeyStatement(ca: self.ca, rawExtension: DERTestEncoding.sequence(DERTestEncoding.integer(3)))
        #expect(try await Outcome.registration(self.authenticator(truncated)) == .attestationCertificateInvalid)
    }

    @Test func theCertificateMustBeForTheCredentialKey() async throws {
        let other = AndroidKeyStatement(ca: self.ca, certifiedKey: TestKey.make(.es256))
        // Signed by the certified key, so only the key comparison fails.
        #expect(try await Outcome.registration(self.authenticator(other)) == .attestationKeyMismatch)
    }

    @Test func theSignatureMustVerify() async throws {
        var authenticator = self.authenticator(AndroidKeyStatement(ca: self.ca))
        authenticator.attestationStatementEdit = { statement in
            guard var signature = statement["sig"]?.bytes else { return }
            signature[signature.count - 1] ^= 1
            statement["sig"] = .byteString(signature)
        }
        #expect(try await Outcome.registration(authenticator) == .signatureInvalid)
    }

    @Test func theAlgorithmMustFitTheCertificateKey() async throws {
        var authenticator = self.authenticator(AndroidKeyStatement(ca: self.ca))
        authenticator.attestationStatementEdit = { $0["alg"] = -257 }
        #expect(try await Outcome.registration(authenticator) == .attestationAlgorithmMismatch)
    }
}
