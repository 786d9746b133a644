import CBOR
import Crypto
import Foundation
import Testing
import WebAuthn

/// WebAuthn §7.1: one valid registration, then one test per check that changes exactly the
/// thing that check looks at and expects exactly its error code.
struct RegistrationVerifierTests {
    let policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)

    @Test func validNoneRegistrationProducesACredentialRecord() async throws {
        var authenticator = TestAuthenticator()
        authenticator.signCount = 7
        authenticator.flags = [.userPresent, .userVerified, .backupEligible, .backupState]
        let response = try authenticator.registration()
        let result = try await RegistrationVerifier(policy: self.policy).verify(response, challenge: TestAuthenticator.challenge)
        #expect(result.credential.id == authenticator.credentialID)
        #expect(result.credential.publicKey == authenticator.key.cosePublicKey)
        #expect(result.credential.signCount == 7)
        #expect(result.credential.aaguid.bytes == TestAuthenticator.aaguid)
        #expect(result.credential.transports == ["usb"])
        #expect(result.credential.backupEligible && result.credential.backupState && result.credential.uvInitialized)
        #expect(result.credential.attestationFormat == .none && result.credential.attestationType == .none)
        #expect(result.credential.attestationObject == response.response.attestationObject.bytes)
        #expect(result.credential.attestationClientDataJSON == response.response.clientDataJSON.bytes)
        #expect(result.attestation.trusted == false)
    }

    @Test func credentialTypeMustBePublicKey() async throws {
        var authenticator = TestAuthenticator()
        authenticator.type = "password"
        #expect(try await Outcome.registration(authenticator) == .credentialTypeMismatch)
    }

    @Test func idMustMatchRawID() async throws {
        var authenticator = TestAuthenticator()
        authenticator.responseIDOverride = "AAAA"
        #expect(try await Outcome.registration(authenticator) == .credentialIDMismatch)
    }

    @Test func clientDataMustBeJSON() async throws {
        var authenticator = TestAuthenticator()
        authenticator.clientDataOverride = Array("not json".utf8)
        #expect(try await Outcome.registration(authenticator) == .malformedClientData)
        authenticator.clientDataOverride = Array(#"{"type":"webauthn.create","challenge":5,"origin":"x"}"#.utf8)
        #expect(try await Outcome.registration(authenticator) == .malformedClientData)
    }

    @Test func clientDataTypeMustBeCreate() async throws {
        var authenticator = TestAuthenticator()
        authenticator.clientDataType = "webauthn.get"
        #expect(try await Outcome.registration(authenticator) == .clientDataTypeMismatch)
        var payment = self.policy
        payment.clientDataTypes = ["webauthn.get"]
        #expect(try await Outcome.registration(authenticator, payment) == nil)
    }

    @Test func challengeMustMatch() async throws {
        var authenticator = TestAuthenticator()
        authenticator.challenge[0] ^= 1
        #expect(try await Outcome.registration(authenticator) == .challengeMismatch)
    }

    @Test func originMustBeAllowed() async throws {
        var authenticator = TestAuthenticator()
        authenticator.origin = "https://evil.example"
        #expect(try await Outcome.registration(authenticator) == .originMismatch)
        var twoOrigins = self.policy
        twoOrigins.relyingParty.origins.append("https://evil.example")
        #expect(try await Outcome.registration(authenticator, twoOrigins) == nil)
    }

    @Test func crossOriginNeedsPolicyAndAllowedTopOrigin() async throws {
        var authenticator = TestAuthenticator()
        authenticator.crossOrigin = true
        authenticator.topOrigin = "https://top.example"
        #expect(try await Outcome.registration(authenticator) == .crossOriginNotAllowed)
        var allowing = self.policy
        allowing.relyingParty.allowCrossOrigin = true
        allowing.relyingParty.topOrigins = ["https://other.example"]
        #expect(try await Outcome.registration(authenticator, allowing) == .topOriginMismatch)
        allowing.relyingParty.topOrigins = ["https://top.example"]
        #expect(try await Outcome.registration(authenticator, allowing) == nil)
    }

    @Test func tokenBindingStatusMustBeValid() async throws {
        var authenticator = TestAuthenticator()
        authenticator.extraClientData = #","tokenBinding":{"status":"not-supported"}"#
        #expect(try await Outcome.registration(authenticator) == .tokenBindingInvalid)
        authenticator.extraClientData = #","tokenBinding":{"status":"supported"}"#
        #expect(try await Outcome.registration(authenticator) == nil)
    }

    @Test func attestationObjectMustBeCBOR() async throws {
        var response = try TestAuthenticator().registration()
        response.response.attestationObject = Base64URLBytes([0xa3, 0x63])
        await #expect(throws: WebAuthnError(.malformedCBOR, "")) {
            try await RegistrationVerifier(policy: self.policy).verify(response, challenge: TestAuthenticator.challenge)
        }
        response.response.attestationObject = Base64URLBytes(CBOREncoder().encode(.map(["fmt": "none"])))
        await #expect(throws: WebAuthnError(.malformedAttestationObject, "")) {
            try await RegistrationVerifier(policy: self.policy).verify(response, challenge: TestAuthenticator.challenge)
        }
    }

    @Test func rpIDHashMustMatch() async throws {
        var authenticator = TestAuthenticator()
        authenticator.rpID = "evil.example"
        #expect(try await Outcome.registration(authenticator) == .rpIDHashMismatch)
    }

    @Test func userPresenceIsRequired() async throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userVerified]
        #expect(try await Outcome.registration(authenticator) == .userPresenceMissing)
    }

    @Test func userVerificationIsRequiredWhenAsked() async throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userPresent]
        #expect(try await Outcome.registration(authenticator) == nil)
        var requiring = self.policy
        requiring.requireUserVerification = true
        #expect(try await Outcome.registration(authenticator, requiring) == .userVerificationMissing)
    }

    @Test func backupStateNeedsBackupEligibility() async throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userPresent, .backupState]
        #expect(try await Outcome.registration(authenticator) == .backupStateInvalid)
    }

    @Test func credentialIDLengthIsLimited() async throws {
        var authenticator = TestAuthenticator()
        authenticator.credentialID = Array(repeating: 7, count: 1024)
        #expect(try await Outcome.registration(authenticator) == .credentialIDTooLong)
        authenticator.credentialID = Array(repeating: 7, count: 1023)
        #expect(try await Outcome.registration(authenticator) == nil)
    }

    @Test func algorithmMustBeAllowed() async throws {
        let authenticator = TestAuthenticator(.edDSA)
        var onlyES256 = self.policy
        onlyES256.allowedAlgorithms = [.es256]
        #expect(try await Outcome.registration(authenticator, onlyES256) == .algorithmNotAllowed)
        #expect(try await Outcome.registration(authenticator) == nil)
    }

    @Test func unknownFormatsAreRejected() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedSelf
        var response = try authenticator.registration()
        var object = try CBORDecoder().decode(response.response.attestationObject.bytes).mapValue ?? [:]
        object["fmt"] = "x-unknown-format"
        response.response.attestationObject = Base64URLBytes(CBOREncoder().encode(.map(object)))
        await #expect(throws: WebAuthnError(.unsupportedAttestationFormat, "")) {
            try await RegistrationVerifier(policy: self.policy).verify(response, challenge: TestAuthenticator.challenge)
        }
        // A known format the caller left out of the policy is unsupported too.
        object["fmt"] = "tpm"
        response.response.attestationObject = Base64URLBytes(CBOREncoder().encode(.map(object)))
        var packedOnly = self.policy
        packedOnly.attestationVerifiers = [PackedAttestation()]
        await #expect(throws: WebAuthnError(.unsupportedAttestationFormat, "")) {
            try await RegistrationVerifier(policy: packedOnly).verify(response, challenge: TestAuthenticator.challenge)
        }
    }

    @Test func registrationNeedsAttestedCredentialData() async throws {
        var authenticator = TestAuthenticator()
        authenticator.trailingAuthData = []
        var response = try authenticator.registration()
        let authData = authenticator.authenticatorData(attested: false)
        let object: CBORMap = ["fmt": "none", "attStmt": .map([:]), "authData": .byteString(authData)]
        response.response.attestationObject = Base64URLBytes(CBOREncoder().encode(.map(object)))
        await #expect(throws: WebAuthnError(.attestedCredentialDataMissing, "")) {
            try await RegistrationVerifier(policy: self.policy).verify(response, challenge: TestAuthenticator.challenge)
        }
    }

    @Test func extensionsMustMatchTheEDFlag() async throws {
        var authenticator = TestAuthenticator()
        authenticator.extensions = CBOREncoder().encode(.map(["credProtect": 2]))
        let verified = try await RegistrationVerifier(policy: self.policy).verify(
            try authenticator.registration(),
            challenge: TestAuthenticator.challenge
        )
        #expect(verified.authenticatorExtensions?["credProtect"] == CBORValue(2))
        // Extension bytes without the ED flag.
        authenticator.extensions = nil
        authenticator.trailingAuthData = CBOREncoder().encode(.map(["credProtect": 2]))
        #expect(try await Outcome.registration(authenticator) == .malformedAuthenticatorData)
    }

    @Test func trustedAttestationCanBeRequired() async throws {
        var requiring = self.policy
        requiring.requireTrustedAttestation = true
        #expect(try await Outcome.registration(TestAuthenticator(), requiring) == .attestationUntrusted)
    }
}
