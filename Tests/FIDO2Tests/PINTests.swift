import FIDO2
import FIDO2Testing
import Testing
import WebAuthn

/// clientPIN through libfido2: both PIN/UV auth protocols, set, change, wrong PINs counting
/// down, the three-in-a-row lockout until reinsertion, and the blocked PIN.
struct PINTests {
    static let request = MakeCredentialRequest(
        relyingPartyID: RelyingPartyFixture.id,
        userID: [1],
        clientDataHash: Array(repeating: 4, count: 32),
        residentKey: true
    )

    @Test(arguments: [[2, 1], [1]])
    func setPINThenUseIt(_ protocols: [Int]) async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 2_000, pinProtocols: protocols))
        defer { key.unregister() }
        #expect(try await key.device.hasPIN == false)
        try await key.device.setPIN("1234")
        #expect(try await key.device.hasPIN)
        #expect(try await key.device.pinRetries() == 8)

        // A discoverable credential now needs the PIN; with it, the user is verified.
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.makeCredential(Self.request) }
        #expect(error?.code == .pinRequired)
        let made = try await key.device.makeCredential(Self.request, pin: "1234")
        #expect(try AuthenticatorData(made.authenticatorData).userVerified)

        let assertions = try await key.device.getAssertions(
            GetAssertionRequest(relyingPartyID: RelyingPartyFixture.id, clientDataHash: Array(repeating: 5, count: 32)),
            pin: "1234"
        )
        #expect(try AuthenticatorData(try #require(assertions.first).authenticatorData).userVerified)
    }

    @Test func wrongPINsCountDownAndBlock() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        for expected in [7, 6] {
            let error = await #expect(throws: FIDO2Error.self) { try await key.device.changePIN(from: "0000", to: "5678") }
            #expect(error?.code == .pinInvalid)
            #expect(error?.retriesLeft == expected)
            #expect(error?.message == "Wrong PIN — \(expected) attempts left.")
        }
        // The third wrong PIN in a row locks PIN entry until the key is reinserted.
        let third = await #expect(throws: FIDO2Error.self) { try await key.device.changePIN(from: "0000", to: "5678") }
        #expect(third?.code == .pinAuthBlocked)
        let meanwhile = await #expect(throws: FIDO2Error.self) { try await key.device.changePIN(from: "1234", to: "5678") }
        #expect(meanwhile?.code == .pinAuthBlocked)
        key.authenticator.powerCycle()
        try await key.device.changePIN(from: "1234", to: "5678")
        #expect(try await key.device.pinRetries() == 8)

        // Eight wrong PINs in all block it for good.
        for attempt in 1...8 {
            if attempt % 3 == 0 { key.authenticator.powerCycle() }
            _ = try? await key.device.changePIN(from: "0000", to: "9999")
        }
        key.authenticator.powerCycle()
        let blocked = await #expect(throws: FIDO2Error.self) { try await key.device.changePIN(from: "5678", to: "9999") }
        #expect(blocked?.code == .pinBlocked)
        #expect(blocked?.message == "PIN blocked: reset the key.")
    }

    @Test func pinPolicyIsEnforced() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.setPIN("12") }
        #expect(error?.code == .pinPolicyViolation || error?.code == .invalidArgument)
        try await key.device.setPIN("1234")
        let twice = await #expect(throws: FIDO2Error.self) { try await key.device.setPIN("4321") }
        #expect(twice?.code == .notAllowed)
    }

    @Test func resetOnlyRightAfterPowerUp() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 2_000, resetWindowSeconds: 1.5))
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        _ = try await key.device.makeCredential(Self.request, pin: "1234")
        // Past the window; the window is wide enough for the reset after a power cycle to arrive in
        // it on a busy machine.
        try await Task.sleep(for: .milliseconds(1_600))
        let late = await #expect(throws: FIDO2Error.self) { try await key.device.reset() }
        #expect(late?.code == .notAllowed)
        key.authenticator.powerCycle()
        try await key.device.reset()
        #expect(key.authenticator.credentialCount == 0)
        #expect(try await key.device.hasPIN == false)
    }
}
