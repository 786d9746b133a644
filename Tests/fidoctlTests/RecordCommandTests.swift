import FIDO2
import FIDO2Testing
import Foundation
import Testing

/// `fidoctl record` writes a transcript that the replay rig plays back request by request.
struct RecordCommandTests {
    @Test func recordingReplaysCleanly() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let recorded = try FidoctlRunner.run(["record", "--device", "virtual", "--output", file.path])
        #expect(recorded.status == 0)
        let transcript = try CTAPHIDTranscript(jsonLines: try String(contentsOf: file, encoding: .utf8))
        #expect(transcript.hasRequests)

        let replay = ReplayDevice(transcript: transcript, path: "fidokit-replay://\(UUID().uuidString)")
        replay.register()
        defer { DeviceRegistry.unregister(path: replay.descriptor.path) }
        let device = try await Device.open(replay.descriptor)
        _ = try await device.info()
        let hash = Array(repeating: UInt8(0), count: 32)
        let made = try await device.makeCredential(MakeCredentialRequest(relyingPartyID: "fidokit.example", userID: [1, 2, 3, 4], clientDataHash: hash))
        let assertions = try await device.getAssertions(
            GetAssertionRequest(relyingPartyID: "fidokit.example", clientDataHash: hash, allowCredentials: [made.credentialID])
        )
        #expect(assertions.count == 1)
        #expect(replay.failures.isEmpty)
        #expect(replay.remainingExchanges == 0)
    }
}
