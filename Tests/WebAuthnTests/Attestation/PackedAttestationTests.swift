import CBOR
import Crypto
import Foundation
import Testing
import WebAuthn
import X509

/// `packed` (WebAuthn §8.2): self and x5c attestation with §8.2.1's certificate requirements,
/// on real registrations and on generated ones changed in one place.
struct PackedAttestationTests {
    let policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)

    func verify(_ authenticator: TestAuthenticator, _ policy: RegistrationPolicy? = nil) async throws -> VerifiedRegistration {
        try await RegistrationVerifier(policy: policy ?? self.policy).verify(
            try authenticator.registration(),
            challenge: TestAuthenticator.challenge
        )
    }

    // Real registrations (Fixtures/webauthn/peers).

    @Test(arguments: [
        "simplewebauthn/reg-packed_self-should_verify_packed_ec2_attestation.json",
        "simplewebauthn/reg-packed_self-should_verify_packed_attestation_with_rsa_pss_sha_256_public_key.json",
    ])
    func realSelfAttestationsVerify(_ path: String) async throws {
        let attestation = try await PeerRegistration.attestation(of: path, format: "packed")
        #expect(attestation.format == .packed)
        #expect(attestation.type == .self)
        #expect(attestation.trustPath.isEmpty)
    }

    @Test(arguments: [
        "py_webauthn/reg-packed_x5c-verify_attestation_from_yubikey_firefox.json",
        "simplewebauthn/reg-packed_x5c-should_verify_packed_x5c_attestation.json",
        "webauthn-rs/reg-packed_x5c-registration_packed_attestaion_works_with_valid_fido_aaguid_extension.json",
    ])
    func realX5CAttestationsVerify(_ path: String) async throws {
        let attestation = try await PeerRegistration.attestation(of: path, format: "packed")
        #expect(attestation.format == .packed)
        #expect(attestation.type == .basic)
        #expect(!attestation.trustPath.isEmpty)
    }

    @Test(arguments: [
        "simplewebauthn/reg-packed_self-should_verify_packed_ec2_attestation.json",
        "py_webauthn/reg-packed_x5c-verify_attestation_from_yubikey_firefox.json",
    ])
    func aRealStatementWithAChangedSignatureIsRefused(_ path: String) async throws {
        var sample = try PeerRegistration(path)
        try sample.flipSignature()
        #expect(await sample.outcome() == .signatureInvalid)
    }

    @Test func aRealSelfAttestationWithAnotherAlgorithmIsRefused() async throws {
        var sample = try PeerRegistration("simplewebauthn/reg-packed_self-should_verify_packed_ec2_attestation.json")
        try sample.editStatement { $0["alg"] = -8 }
        #expect(await sample.outcome() == .attestationAlgorithmMismatch)
    }

    @Test(arguments: [
        "simplewebauthn/reg-packed_x5c-should_fail_if_id_fido_gen_ce_aaguid_extension_is_present_and_does_not_match_aaguid_i.json",
        "webauthn-rs/reg-packed_x5c-registration_packed_attestaion_fails_with_invalid_fido_aaguid_extension.json",
    ])
    func aRealCertificateForAnotherAAGUIDIsRefused(_ path: String) async throws {
        #expect(await (try PeerRegistration(path)).outcome() == .aaguidMismatch)
    }

    // Generated registrations: one change each.

    @Test(arguments: [COSEAlgorithm.es256, .es384, .es512, .edDSA, .rs256, .ps256])
    func packedSelfAttestationVerifies(_ algorithm: COSEAlgorithm) async throws {
        var authenticator = TestAuthenticator(algorithm)
        authenticator.attestation = .packedSelf
        let result = try await self.verify(authenticator)
        #expect(result.attestation.format == .packed)
        #expect(result.attestation.type == .self)
        #expect(result.publicKey.algorithm == algorithm)
    }

    @Test func packedSelfAttestationAlgorithmMustMatchTheCredential() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedSelf
        authenticator.attestationStatementEdit = { $0["alg"] = -8 }
        #expect(try await Outcome.registration(authenticator) == .attestationAlgorithmMismatch)
    }

    @Test func packedSelfAttestationSignatureMustVerify() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedSelf
        authenticator.signatureEdit = { $0[$0.count - 3] ^= 1 }
        #expect(try await Outcome.registration(authenticator) == .signatureInvalid)
    }

    @Test func packedStatementFieldsMustBeTyped() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedSelf
        authenticator.attestationStatementEdit = { $0["alg"] = "ES256" }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
        authenticator.attestationStatementEdit = { $0["sig"] = nil }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
        authenticator.attestationStatementEdit = { $0["x5c"] = .array([.textString("cert")]) }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
        authenticator.attestationStatementEdit = { $0["x5c"] = .array([.byteString([0x30, 0x00])]) }
        #expect(try await Outcome.registration(authenticator) == .malformedCertificate)
    }

    @Test func packedX5CWithoutAnchorsIsCheckedButUntrusted() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), .init(aaguidExtension: TestAuthenticator.aaguid))
        let result = try await self.verify(authenticator)
        #expect(result.attestation.type == .basic)
        #expect(result.attestation.trusted == false)
        #expect(result.attestation.trustPath.count == 1)
    }

    @Test func packedX5CChainsToTheCallersAnchor() async throws {
        let ca = try TestAttestationCA()
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(ca, .init())
        var anchored = self.policy
        anchored.trustAnchors = [ca.root]
        anchored.requireTrustedAttestation = true
        let result = try await self.verify(authenticator, anchored)
        #expect(result.attestation.trusted)
        #expect(result.attestation.trustPath.last == ca.root)

        anchored.trustAnchors = [try TestAttestationCA(name: "Another Root").root]
        #expect(try await Outcome.registration(authenticator, anchored) == .attestationUntrusted)
    }

    @Test func packedX5CSignatureMustVerify() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), .init())
        authenticator.signatureEdit = { $0[$0.count - 3] ^= 1 }
        #expect(try await Outcome.registration(authenticator) == .signatureInvalid)
    }

    @Test func packedX5CAlgorithmMustSuitTheCertificateKey() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), .init())
        authenticator.attestationStatementEdit = { $0["alg"] = -8 }
        #expect(try await Outcome.registration(authenticator) == .attestationAlgorithmMismatch)
    }

    @Test(arguments: [
        ("country", TestAttestationCA.LeafOptions(country: nil)),
        ("country code", TestAttestationCA.LeafOptions(country: "SWE")),
        ("organization", TestAttestationCA.LeafOptions(organization: nil)),
        ("unit", TestAttestationCA.LeafOptions(organizationalUnit: "Attestation")),
        ("common name", TestAttestationCA.LeafOptions(commonName: nil)),
        ("CA", TestAttestationCA.LeafOptions(isCA: true)),
        ("version", TestAttestationCA.LeafOptions(version: .v1)),
        ("critical aaguid", TestAttestationCA.LeafOptions(aaguidExtension: TestAuthenticator.aaguid, aaguidExtensionCritical: true)),
    ])
    func packedCertificateRequirements(_ name: String, _ options: TestAttestationCA.LeafOptions) async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), options)
        #expect(try await Outcome.registration(authenticator) == .attestationCertificateInvalid, "\(name)")
    }

    @Test func certificateSignaturesMustBeWholeBytes() async throws {
        // Re-encode the attestation certificate's signature BIT STRING with one unused bit: the
        // signature bytes still verify, but the encoding is not X.509's, so it is refused. That
        // needs a signature whose last bit is zero; about every other one qualifies.
        for _ in 0..<64 {
            var authenticator = TestAuthenticator()
            authenticator.attestation = .packedX5C(try TestAttestationCA(), .init())
            let object = try CBORDecoder().decode(try authenticator.registration().response.attestationObject.bytes)
            var statement = try #require(object.mapValue?["attStmt"]?.mapValue)
            var der = try #require(statement["x5c"]?.arrayValue?.first?.bytes)
            guard let last = der.last, last & 1 == 0 else { continue }
            var bitString: Int?
            for index in 0..<(der.count - 2) where der[index] == 0x03 && der[index + 2] == 0 {
                if Int(der[index + 1]) == der.count - index - 2 { bitString = index }
            }
            let start = try #require(bitString)
            der[start + 2] = 1
            statement["x5c"] = .array([.byteString(der)])
            let edited = statement
            authenticator.attestationStatementEdit = { $0 = edited }
            #expect(try await Outcome.registration(authenticator) == .malformedCertificate)
            return
        }
        Issue.record("no signature with a trailing zero bit in 64 tries")
    }

    @Test func packedAAGUIDExtensionMustMatch() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), .init(aaguidExtension: Array(repeating: 1, count: 16)))
        #expect(try await Outcome.registration(authenticator) == .aaguidMismatch)
    }

    @Test func certificatesMustBeValidAtTheVerificationTime() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(try TestAttestationCA(), .init())
        var later = self.policy
        later.verificationTime = Date().addingTimeInterval(86_400 * 400)
        #expect(try await Outcome.registration(authenticator, later) == .certificateExpired)
        later.verificationTime = Date().addingTimeInterval(-86_400 * 2)
        #expect(try await Outcome.registration(authenticator, later) == .certificateExpired)
    }
}
