import FIDO2
import FIDO2Testing
import Testing

/// Enterprise attestation: turning it on through authenticatorConfig, and asking for it when
/// enrolling — which libfido2 1.12 cannot send, so FIDOKit refuses instead of silently enrolling
/// without it.
struct EnterpriseAttestationTests {
    @Test func enablingNeedsThePINAndShowsInGetInfo() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 2_000, enterpriseAttestation: true))
        defer { key.unregister() }
        #expect(try await key.device.info().option("ep") == false)
        try await key.device.setPIN("1234")
        let wrong = await #expect(throws: FIDO2Error.self) { try await key.device.enableEnterpriseAttestation(pin: "0000") }
        #expect(wrong?.code == .pinInvalid)
        #expect(try await key.device.info().option("ep") == false)
        try await key.device.enableEnterpriseAttestation(pin: "1234")
        #expect(try await key.device.info().option("ep") == true)
    }

    @Test func aKeyWithoutItSaysSo() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        #expect(try await key.device.info().option("ep") == nil)
        try await key.device.setPIN("1234")
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.enableEnterpriseAttestation(pin: "1234") }
        #expect(error?.code == .invalidSubcommand)
    }

    @Test func askingForItNeverEnrolsWithoutIt() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 2_000, enterpriseAttestation: true))
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        try await key.device.enableEnterpriseAttestation(pin: "1234")
        var request = MakeCredentialRequest(
            relyingPartyID: RelyingPartyFixture.id,
            userID: [1],
            clientDataHash: Array(repeating: 1, count: 32)
        )
        request.enterpriseAttestation = .vendorFacilitated
        do {
            let made = try await key.device.makeCredential(request, pin: "1234")
            // A libfido2 that can send the request: the key must have answered epAtt.
            #expect(made.attestationStatement["x5c"] != nil)
        } catch {
            #expect(error.code == .unsupportedOption)
            #expect(error.detail?.contains("fido_cred_set_entattest") == true)
            #expect(key.authenticator.credentialCount == 0)
        }
    }
}
