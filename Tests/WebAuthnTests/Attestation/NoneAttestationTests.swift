import CBOR
import Testing
import WebAuthn

/// `none` (WebAuthn §8.7): the statement is an empty map, on real registrations and on a
/// generated one changed in one place.
struct NoneAttestationTests {
    // Real registrations (Fixtures/webauthn/peers).

    @Test(arguments: [
        "py_webauthn/reg-none-verifies_none_attestation_response.json",
        "simplewebauthn/reg-none-should_verify_none_attestation.json",
        "simplewebauthn/reg-none-should_verify_none_attestation_w_rsa_public_key.json",
    ])
    func realRegistrationsVerify(_ path: String) async throws {
        let attestation = try await PeerRegistration.attestation(of: path, format: "none")
        #expect(attestation.format == .none)
        #expect(attestation.type == .none)
        #expect(attestation.trustPath.isEmpty)
    }

    @Test func aRealStatementThatIsNotEmptyIsRefused() async throws {
        var sample = try PeerRegistration("simplewebauthn/reg-none-should_verify_none_attestation.json")
        try sample.editStatement { $0["sig"] = .byteString([1]) }
        #expect(await sample.outcome() == .malformedAttestationStatement)
    }

    // Generated registrations: one change each.

    @Test func noneStatementMustBeEmpty() async throws {
        var authenticator = TestAuthenticator()
        authenticator.attestationStatementEdit = { $0["sig"] = .byteString([1]) }
        #expect(try await Outcome.registration(authenticator) == .malformedAttestationStatement)
    }
}
