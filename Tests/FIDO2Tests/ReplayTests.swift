import CBOR
import Crypto
import FIDO2
import FIDO2Testing
import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn
import X509

/// Real devices' CTAPHID traffic from libfido2's own tests (Fixtures/ctaphid/libfido2-wiredata),
/// replayed through libfido2 and the FIDO2 driver: the driver gives the results those exchanges encode.
struct ReplayTests {
    static func wiredata(_ names: [String]) throws -> CTAPHIDTranscript {
        var reports: [CTAPHIDTranscript.Report] = []
        for name in names {
            let text = try String(contentsOf: FixturePath.url("ctaphid/libfido2-wiredata/\(name).hex"), encoding: .utf8)
            reports += try CTAPHIDTranscript(deviceReportsHex: text).reports
        }
        return CTAPHIDTranscript(reports: reports)
    }

    static func open(_ names: [String]) async throws -> (ReplayDevice, Device) {
        let replay = ReplayDevice(transcript: try Self.wiredata(names), path: "fidokit-replay://\(UUID().uuidString)")
        replay.register()
        return (replay, try await Device.open(replay.descriptor))
    }

    @Test func getInfoOfARecordedYubiKey() async throws {
        // libfido2 1.12 reads getInfo once while opening, then once for the call.
        let (replay, device) = try await Self.open(["WIREDATA_CTAP_INIT", "WIREDATA_CTAP_CBOR_INFO", "WIREDATA_CTAP_CBOR_INFO"])
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        let info = try await device.info()
        #expect(info.versions == ["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"])
        #expect(info.extensions == ["credProtect", "hmac-secret"])
        #expect(info.aaguid?.description == "1956e5bd-a374-45f1-a814-356403fdbc18")
        #expect(info.options == ["rk": true, "up": true, "plat": false, "clientPin": false, "credentialMgmtPreview": true])
        #expect(info.maxMessageSize == 1200)
        #expect(info.pinProtocols == [1])
        #expect(info.maxCredentialCountInList == 8)
        #expect(info.maxCredentialIDLength == 128)
        #expect(info.algorithms == [.es256, .edDSA])
        #expect(replay.failures.isEmpty)
        #expect(replay.remainingExchanges == 0)
    }

    @Test func makeCredentialOfARecordedKey() async throws {
        let (replay, device) = try await Self.open(["WIREDATA_CTAP_INIT", "WIREDATA_CTAP_CBOR_INFO", "REGRESS_WIREDATA_MAKECRED.HEAD"])
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        // The client data hash libfido2's regress test used when the exchange was recorded.
        let clientDataHash = [UInt8](hex: "f96457e72d97f6bbddd7fb063762ea2620448e697c03f2312f99dcaf3e8a916b")
        let made = try await device.makeCredential(
            MakeCredentialRequest(relyingPartyID: "localhost", userID: [1], clientDataHash: clientDataHash)
        )
        #expect(made.format == "packed")
        let authData = try AuthenticatorData(made.authenticatorData)
        #expect(authData.attestedCredentialData?.credentialID == made.credentialID)
        #expect(authData.rpIDHash == Array(SHA256.hash(data: Array("localhost".utf8))))
        // The recorded packed attestation signature verifies over authData ‖ clientDataHash.
        let der = try #require(made.attestationStatement["x5c"]?.arrayValue?.first?.bytes)
        let certificate = try Certificate(derEncoded: der)
        let key = try #require(P256.Signing.PublicKey(certificate.publicKey))
        let signature = try P256.Signing.ECDSASignature(derRepresentation: try #require(made.attestationStatement["sig"]?.bytes))
        #expect(key.isValidSignature(signature, for: made.authenticatorData + clientDataHash))
        #expect(replay.failures.isEmpty)
    }

    @Test func requestsBeyondTheRecordingFailLoudly() async throws {
        let (replay, device) = try await Self.open(["WIREDATA_CTAP_INIT", "WIREDATA_CTAP_CBOR_INFO", "WIREDATA_CTAP_CBOR_INFO"])
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        _ = try await device.info()
        await #expect(throws: FIDO2Error.self) { try await device.info() }
        #expect(replay.failures.count == 1)
        #expect(replay.failures.first?.contains("no more exchanges") == true)
    }

    @Test func recordedRequestsAreMatchedByStructure() async throws {
        // Record a session with the software authenticator, then replay it: the same calls
        // replay cleanly; a different call is reported with both shapes.
        let authenticator = try SoftwareAuthenticator()
        let live = SoftwareAuthenticatorDevice(authenticator: authenticator, path: "fidokit-virtual://\(UUID().uuidString)")
        let recorder = RecordingDevice(wrapping: live, path: "fidokit-record://\(UUID().uuidString)")
        recorder.register()
        defer { DeviceRegistry.unregister(path: recorder.descriptor.path) }
        let device = try await Device.open(recorder.descriptor)
        _ = try await device.info()
        _ = try await device.makeCredential(
            MakeCredentialRequest(relyingPartyID: "example.com", userID: [9], clientDataHash: Array(repeating: 5, count: 32))
        )
        let transcript = recorder.transcript
        #expect(transcript.hasRequests)

        let replay = ReplayDevice(transcript: try CTAPHIDTranscript(jsonLines: transcript.jsonLines()), path: "fidokit-replay://\(UUID().uuidString)")
        replay.register()
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        let replayed = try await Device.open(replay.descriptor)
        #expect(try await replayed.info().aaguid?.bytes == authenticator.configuration.aaguid)
        await #expect(throws: FIDO2Error.self) {
            try await replayed.getAssertions(GetAssertionRequest(relyingPartyID: "example.com", clientDataHash: Array(repeating: 5, count: 32)))
        }
        #expect(replay.failures.count == 1)
        #expect(replay.failures.first?.contains("expected CTAP2 0x01") == true)
        #expect(replay.failures.first?.contains("got CTAP2 0x02") == true)
    }
}
