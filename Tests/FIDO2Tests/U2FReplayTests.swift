import CBOR
import FIDO2
import FIDO2Testing
import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn
import X509

/// A U2F-only key (CTAPHID without the CBOR capability) through libfido2's CTAP1 fallback, from
/// libfido2's recorded U2F traffic: makeCredential becomes U2F REGISTER (retried while the key
/// answers 0x6985 "touch me"), and the result is a fido-u2f attestation.
struct U2FReplayTests {
    @Test func registerThroughTheCTAP1Fallback() async throws {
        var reports = try ReplayTests.wiredata(["WIREDATA_CTAP_INIT"]).reports
        // The recorded INIT reply is from a FIDO2 key; clear its CBOR capability (byte 23,
        // bit 0x04) so that it reads as a U2F-only key.
        reports[0].bytes[23] &= ~0x04
        for _ in 0..<5 {
            reports += try ReplayTests.wiredata(["WIREDATA_CTAP_U2F_6985"]).reports
        }
        reports += try ReplayTests.wiredata(["WIREDATA_CTAP_U2F_REGISTER"]).reports
        let replay = ReplayDevice(transcript: CTAPHIDTranscript(reports: reports), path: "fidokit-replay://\(UUID().uuidString)")
        replay.register()
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        let device = try await Device.open(replay.descriptor)
        let made = try await device.makeCredential(
            MakeCredentialRequest(relyingPartyID: "localhost", userID: [1], clientDataHash: Array(repeating: 0, count: 32))
        )
        #expect(made.format == "fido-u2f")
        let authData = try AuthenticatorData(made.authenticatorData)
        #expect(authData.attestedCredentialData?.aaguid == .zero)
        #expect(authData.attestedCredentialData?.credentialID == made.credentialID)
        let certificates = try #require(made.attestationStatement["x5c"]?.arrayValue)
        #expect(certificates.count == 1)
        _ = try Certificate(derEncoded: try #require(certificates.first?.bytes))
        #expect(replay.failures.isEmpty)
        #expect(replay.remainingExchanges == 0)
    }
}
