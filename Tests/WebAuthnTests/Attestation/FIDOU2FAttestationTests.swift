import CBOR
import Testing
import WebAuthn

/// `fido-u2f` (WebAuthn §8.6): one P-256 attestation certificate and a U2F registration
/// signature, on real registrations and on generated ones changed in one place.
struct FIDOU2FAttestationTests {
    // Real registrations (Fixtures/webauthn/peers).

    @Test(arguments: [
        "py_webauthn/reg-fido_u2f-verify_attestation_from_yubikey_firefox.json",
        "py_webauthn/reg-fido_u2f-verify_attestation_from_fido_conformance.json",
        "simplewebauthn/reg-fido_u2f-should_verify_fido_u2f_attestation.json",
    ])
    func realRegistrationsVerify(_ path: String) async throws {
        let attestation = try await PeerRegistration.attestation(of: path, format: "fido-u2f")
        #expect(attestation.format == .fidoU2F)
        #expect(attestation.type == .basic)
        #expect(attestation.trustPath.count == 1)
    }

    @Test func aRealStatementWithAChangedSignatureIsRefused() async throws {
        var sample = try PeerRegistration("py_webauthn/reg-fido_u2f-verify_attestation_from_yubikey_firefox.json")
        try sample.flipSignature()
        #expect(await sample.outcome() == .signatureInvalid)
    }

    @Test func aRealStatementWithTwoCertificatesIsRefused() async throws {
        var sample = try PeerRegistration("py_webauthn/reg-fido_u2f-verify_attestation_from_yubikey_firefox.json")
        try sample.editStatement { statement in
            let certificates = statement["x5c"]?.arrayValue ?? []
            statement["x5c"] = .array(certificates + certificates)
        }
        #expect(await sample.outcome() == .malformedAttestationStatement)
    }

    // Generated registrations: one change each.

    @Test func fidoU2FVerifies() async throws {
        let ca = try TestAttestationCA()
        var authenticator = TestAuthenticator()
        authenticator.attestation = .fidoU2F(ca)
        authenticator.aaguid = Array(repeating: 0, count: 16)
        let anchored = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: [ca.root])
        let result = try await RegistrationVerifier(policy: anchored).verify(
            try authenticator.registration(),
            challenge: TestAuthenticator.challenge
        )
        #expect(result.attestation.format == .fidoU2F)
        #expect(result.attestation.type == .basic)
        #expect(result.attestation.trusted)
    }

    @Test func fidoU2FSignatureMustVerify() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .fidoU2F(try TestAttestationCA())
        authenticator.signatureEdit = { $0[$0.count - 3] ^= 1 }
        #expect(try await Outcome.registration(authenticator) == .signatureInvalid)
    }

    @Test func fidoU2FNeedsExactlyOneCertificate() async throws {
        let ca = try TestAttestationCA()
        var authenticator = TestAuthenticator()
        authenticator.attestation = .fidoU2F(ca)
        authenticator.attestationStatementEdit = { statement in
            let certificates = statement["x5c"]?.arrayValue ?? []
            statement["x5c"] = .array(certificates + certificates)
        }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
    }

    @Test func fidoU2FNeedsAP256Credential() async throws {
        var authenticator = TestAuthenticator(.edDSA)
        authenticator.attestation = .fidoU2F(try TestAttestationCA())
        #expect(try await Outcome.registration(authenticator) == .keyAlgorithmMismatch)
    }
}
