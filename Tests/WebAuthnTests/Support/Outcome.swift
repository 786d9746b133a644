import WebAuthn

/// Runs a ceremony and returns the error code it threw, or `nil` when it verified.
enum Outcome {
    static func registration(
        _ authenticator: TestAuthenticator,
        _ policy: RegistrationPolicy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
    ) async throws -> WebAuthnError.Code? {
        let response = try authenticator.registration()
        do {
            _ = try await RegistrationVerifier(policy: policy).verify(response, challenge: TestAuthenticator.challenge)
            return nil
        } catch {
            return error.code
        }
    }

    static func authentication(
        _ authenticator: TestAuthenticator,
        _ policy: AuthenticationPolicy = AuthenticationPolicy(relyingParty: TestAuthenticator.relyingParty),
        expectation: AuthenticationExpectation? = nil
    ) throws -> WebAuthnError.Code? {
        let expected = try expectation ?? authenticator.expectation()
        do {
            _ = try AuthenticationVerifier(policy: policy).verify(authenticator.assertion(), expecting: expected)
            return nil
        } catch {
            return error.code
        }
    }
}
