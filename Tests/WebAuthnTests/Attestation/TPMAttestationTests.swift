import CBOR
import Testing
import WebAuthn
import X509

/// `tpm` (WebAuthn §8.3 and §8.3.1): a statement built as a TPM builds it verifies; each test
/// breaks exactly one requirement.
struct TPMAttestationTests {
    let ca: TestAttestationCA
    init() throws { self.ca = try TestAttestationCA(name: "FIDOKit Test TPM Attestation CA") }

    func outcome(
        _ statement: TPMStatement,
        _ algorithm: COSEAlgorithm = .es256,
        policy: RegistrationPolicy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
    ) async throws -> WebAuthnError.Code? {
        var authenticator = TestAuthenticator(algorithm)
        authenticator.attestation = statement.attestation
        return try await Outcome.registration(authenticator, policy)
    }

    @Test(arguments: [(COSEAlgorithm.es256, COSEAlgorithm.es256), (.rs256, .rs256), (.es256, .rs256), (.rs256, .es256)])
    func aValidStatementVerifiesAsAttestationCA(_ credential: COSEAlgorithm, _ aik: COSEAlgorithm) async throws {
        var authenticator = TestAuthenticator(credential)
        authenticator.attestation = TPMStatement(ca: self.ca, aikAlgorithm: aik).attestation
        let policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: [self.ca.root])
        let verified = try await RegistrationVerifier(policy: policy)
            .verify(try authenticator.registration(), challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.format == .tpm)
        #expect(verified.attestation.type == .attCA)
        #expect(verified.attestation.trusted)
    }

    @Test func theVersionMustBe2() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, version: "1.2")) == .malformedAttestationStatement)
    }

    @Test func thePublicAreaMustHoldTheCredentialKey() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, publicAreaKey: TestKey.make(.es256))) == .attestationKeyMismatch)
        // An RSA credential described as another RSA key (same exponent, other modulus) fails too.
        let otherRSA = TestKey.rsa(try .init(keySize: .bits2048), .rs256)
        #expect(try await self.outcome(TPMStatement(ca: self.ca, publicAreaKey: otherRSA), .rs256) == .attestationKeyMismatch)
    }

    @Test func thePublicAreaMustEndWhereItsStructureEnds() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, trailingPublicAreaBytes: [0])) == .malformedAttestationStatement)
    }

    @Test func certInfoMustBeGeneratedByATPM() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, magic: 0xff54_4348)) == .malformedAttestationStatement)
    }

    @Test func certInfoMustBeACertification() async throws {
        // TPM_ST_ATTEST_QUOTE.
        #expect(try await self.outcome(TPMStatement(ca: self.ca, type: 0x8018)) == .malformedAttestationStatement)
    }

    @Test func extraDataMustBindThisRegistration() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, extraData: Array(repeating: 3, count: 32))) == .attestationNonceMismatch)
    }

    @Test func theAttestedNameMustBeThePublicAreas() async throws {
        let wrong = [0x00, 0x0B] + Array(repeating: UInt8(4), count: 32)
        #expect(try await self.outcome(TPMStatement(ca: self.ca, attestedName: wrong)) == .attestationKeyMismatch)
    }

    @Test func theSignatureOverCertInfoMustVerify() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = TPMStatement(ca: self.ca).attestation
        authenticator.attestationStatementEdit = { statement in
            guard var signature = statement["sig"]?.bytes else { return }
            signature[signature.count - 1] ^= 1
            statement["sig"] = .byteString(signature)
        }
        #expect(try await Outcome.registration(authenticator) == .signatureInvalid)
    }

    @Test func theAIKSubjectMustBeEmpty() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, subjectCommonName: "AIK")) == .attestationCertificateInvalid)
    }

    @Test func theAIKNeedsItsTPMSubjectAlternativeName() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, omitSubjectAlternativeName: true)) == .attestationCertificateInvalid)
        #expect(try await self.outcome(TPMStatement(ca: self.ca, omitModelAndVersion: true)) == .attestationCertificateInvalid)
        // Both layouts seen in the field are read.
        #expect(try await self.outcome(TPMStatement(ca: self.ca, attributesInOneRDN: true)) == nil)
    }

    @Test func theManufacturerMustBeARegisteredVendor() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, manufacturer: "id:12345678")) == .attestationPolicyViolation)
        #expect(try await self.outcome(TPMStatement(ca: self.ca, manufacturer: "id:49465800")) == nil)  // Infineon
        var infineonOnly = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        infineonOnly.formatPolicy.tpmManufacturers = ["id:49465800"]
        #expect(try await self.outcome(TPMStatement(ca: self.ca), policy: infineonOnly) == .attestationPolicyViolation)
    }

    @Test func theAIKNeedsTheAIKCertificateKeyUsage() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, extendedKeyUsage: false)) == .attestationCertificateInvalid)
    }

    @Test func theAIKMustNotBeACA() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, isCA: true)) == .attestationCertificateInvalid)
    }

    @Test func theAIKMustBeVersion3() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, certificateVersion: .v1)) == .attestationCertificateInvalid)
    }

    @Test func anAAGUIDExtensionMustMatch() async throws {
        #expect(try await self.outcome(TPMStatement(ca: self.ca, aaguidExtension: Array(repeating: 9, count: 16))) == .aaguidMismatch)
        #expect(try await self.outcome(TPMStatement(ca: self.ca, aaguidExtension: TestAuthenticator.aaguid)) == nil)
    }

    @Test func sha1SignaturesAreOptIn() async throws {
        var authenticator = TestAuthenticator(.rs256)
        authenticator.attestation = TPMStatement(ca: self.ca, aikAlgorithm: .rs256).attestation
        authenticator.attestationStatementEdit = { statement in
            // Re-sign certInfo with RS1, and say so; extraData stays SHA-256, so recompute it.
            statement["alg"] = CBORValue(COSEAlgorithm.rs1.rawValue)
        }
        // Claiming RS1 is refused before anything is hashed unless the RP opts in.
        #expect(try await Outcome.registration(authenticator) == .unsupportedAlgorithm)
        var optIn = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        optIn.allowRS1 = true
        // With the opt-in the SHA-256 extraData no longer matches a SHA-1 statement.
        #expect(try await Outcome.registration(authenticator, optIn) == .attestationNonceMismatch)
    }
}
