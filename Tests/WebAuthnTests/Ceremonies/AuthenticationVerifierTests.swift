import CBOR
import Crypto
import Foundation
import Testing
import WebAuthn

/// WebAuthn §7.2: one valid assertion per algorithm, then one test per check.
struct AuthenticationVerifierTests {
    let policy = AuthenticationPolicy(relyingParty: TestAuthenticator.relyingParty)

    @Test(arguments: [COSEAlgorithm.es256, .es384, .es512, .edDSA, .rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
    func validAssertionVerifies(_ algorithm: COSEAlgorithm) throws {
        var authenticator = TestAuthenticator(algorithm)
        authenticator.signCount = 42
        authenticator.flags = [.userPresent, .userVerified, .backupEligible, .backupState]
        let result = try AuthenticationVerifier(policy: self.policy).verify(
            authenticator.assertion(),
            expecting: try authenticator.expectation(storedSignCount: 41)
        )
        #expect(result.newSignCount == 42)
        #expect(result.signCountRegressed == false)
        #expect(result.userVerified)
        #expect(result.backupEligible && result.backupState)
        #expect(result.credentialID == authenticator.credentialID)
    }

    @Test func rs1NeedsTheKeyToAllowIt() throws {
        let authenticator = TestAuthenticator(.rs1)
        #expect(try Outcome.authentication(authenticator) == nil)
        #expect(throws: WebAuthnError(.unsupportedAlgorithm, "")) {
            try COSEKey(cbor: authenticator.key.cosePublicKey)
        }
    }

    @Test func credentialTypeAndIDAreChecked() throws {
        var authenticator = TestAuthenticator()
        authenticator.type = "otp"
        #expect(try Outcome.authentication(authenticator) == .credentialTypeMismatch)
        authenticator = TestAuthenticator()
        authenticator.responseIDOverride = "AAAA"
        #expect(try Outcome.authentication(authenticator) == .credentialIDMismatch)
    }

    @Test func credentialMustBeInAllowCredentials() throws {
        let authenticator = TestAuthenticator()
        var expectation = try authenticator.expectation()
        expectation.allowCredentials = [[1, 2, 3]]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .credentialNotAllowed)
        expectation.allowCredentials = [[1, 2, 3], authenticator.credentialID]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == nil)
    }

    @Test func storedCredentialIDMustMatch() throws {
        let authenticator = TestAuthenticator()
        var expectation = try authenticator.expectation()
        expectation.credentialID = [9, 9, 9]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .credentialIDMismatch)
    }

    @Test func userHandleRules() throws {
        var authenticator = TestAuthenticator()
        authenticator.userHandle = [1, 2, 3]
        var expectation = try authenticator.expectation()
        expectation.userHandle = [4, 5, 6]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .userHandleMismatch)
        expectation.userHandle = [1, 2, 3]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == nil)

        authenticator.userHandle = nil
        expectation.requireUserHandle = true
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .userHandleMissing)
    }

    @Test func clientDataChecks() throws {
        var authenticator = TestAuthenticator()
        authenticator.clientDataType = "webauthn.create"
        authenticator.clientDataOverride = Array(
            #"{"type":"webauthn.create","challenge":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","origin":"https://example.com"}"#.utf8
        )
        #expect(try Outcome.authentication(authenticator) == .clientDataTypeMismatch)

        authenticator = TestAuthenticator()
        authenticator.challenge[31] ^= 0x80
        #expect(try Outcome.authentication(authenticator) == .challengeMismatch)

        authenticator = TestAuthenticator()
        authenticator.origin = "https://example.org"
        #expect(try Outcome.authentication(authenticator) == .originMismatch)

        authenticator = TestAuthenticator()
        authenticator.crossOrigin = true
        #expect(try Outcome.authentication(authenticator) == .crossOriginNotAllowed)

        authenticator = TestAuthenticator()
        authenticator.clientDataOverride = Array("[]".utf8)
        #expect(try Outcome.authentication(authenticator) == .malformedClientData)
    }

    @Test func rpIDHashMustMatchOrBeTheAppIDs() throws {
        var authenticator = TestAuthenticator()
        authenticator.rpID = "https://example.com/appid.json"
        #expect(try Outcome.authentication(authenticator) == .rpIDHashMismatch)

        var withAppID = self.policy
        withAppID.appID = "https://example.com/appid.json"
        // The client must say it used the AppID.
        #expect(try Outcome.authentication(authenticator, withAppID) == .rpIDHashMismatch)
        authenticator.clientExtensionResults = ClientExtensionResults(appid: true)
        let result = try AuthenticationVerifier(policy: withAppID).verify(
            authenticator.assertion(),
            expecting: try authenticator.expectation()
        )
        #expect(result.usedAppID)
        // Saying so does not help without an AppID in the policy.
        #expect(try Outcome.authentication(authenticator) == .rpIDHashMismatch)
    }

    @Test func userPresenceAndVerification() throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userVerified]
        #expect(try Outcome.authentication(authenticator) == .userPresenceMissing)
        authenticator.flags = [.userPresent]
        #expect(try Outcome.authentication(authenticator) == nil)
        var requiring = self.policy
        requiring.requireUserVerification = true
        #expect(try Outcome.authentication(authenticator, requiring) == .userVerificationMissing)
    }

    @Test func backupFlags() throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userPresent, .backupState]
        #expect(try Outcome.authentication(authenticator) == .backupStateInvalid)

        authenticator.flags = [.userPresent, .backupEligible]
        var expectation = try authenticator.expectation()
        expectation.backupEligible = false
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .backupEligibilityChanged)
        expectation.backupEligible = true
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == nil)
    }

    @Test func signatureMustVerify() throws {
        var authenticator = TestAuthenticator()
        authenticator.signatureEdit = { $0[$0.count - 2] ^= 1 }
        #expect(try Outcome.authentication(authenticator) == .signatureInvalid)

        // Another key's signature.
        authenticator = TestAuthenticator()
        let other = TestAuthenticator()
        #expect(try Outcome.authentication(authenticator, expectation: try other.expectation()) == .signatureInvalid)
    }

    @Test func signCountMustIncrease() throws {
        var authenticator = TestAuthenticator()
        authenticator.signCount = 10
        #expect(try Outcome.authentication(authenticator, expectation: try authenticator.expectation(storedSignCount: 10)) == .signCountRegression)
        #expect(try Outcome.authentication(authenticator, expectation: try authenticator.expectation(storedSignCount: 11)) == .signCountRegression)
        authenticator.signCount = 0
        #expect(try Outcome.authentication(authenticator, expectation: try authenticator.expectation(storedSignCount: 0)) == nil)

        authenticator.signCount = 3
        var allowing = self.policy
        allowing.allowSignCountRegression = true
        let result = try AuthenticationVerifier(policy: allowing).verify(
            authenticator.assertion(),
            expecting: try authenticator.expectation(storedSignCount: 5)
        )
        #expect(result.signCountRegressed)
        #expect(result.newSignCount == 5)
    }

    @Test func expectationFromACredentialRecord() async throws {
        var authenticator = TestAuthenticator()
        authenticator.flags = [.userPresent, .backupEligible]
        let registration = try await RegistrationVerifier(policy: RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty))
            .verify(try authenticator.registration(), challenge: TestAuthenticator.challenge)
        authenticator.signCount = 1
        let expectation = try AuthenticationExpectation(challenge: TestAuthenticator.challenge, credential: registration.credential)
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == nil)
        authenticator.flags = [.userPresent]
        #expect(try Outcome.authentication(authenticator, expectation: expectation) == .backupEligibilityChanged)
    }
}
