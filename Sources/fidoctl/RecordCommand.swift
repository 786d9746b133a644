import ArgumentParser
import Crypto
import FIDO2
import FIDO2Testing
import Foundation

/// `fidoctl record`: records a real key's CTAPHID traffic for the replay rig.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract:
            "Record a session with a real key (getInfo, makeCredential, getAssertion) as a replayable transcript.",
        discussion: """
            The key is driven through FIDOKit's own hidraw I/O so that every 64-byte report can be written down. \
            Use a key without a PIN (or one with a throw-away PIN): encrypted PIN material ends up in the file. \
            The client data hash is fixed and written into the header, so that replays can verify the signatures.

            Example:
              fidoctl record --device /dev/hidraw3 --output Fixtures/ctaphid/recordings/my-key.jsonl
            """
    )

    @Option(
        name: .customLong("device"),
        help: "The key's hidraw path (see `fidoctl list`); `virtual` records the software authenticator."
    )
    var path: String?

    @Option(help: "Where to write the JSON Lines transcript.")
    var output: String

    @Option(name: .customLong("rp-id"), help: "The RP ID used for makeCredential and getAssertion.")
    var rpID = "fidokit.example"

    /// The client data hash of recordings: SHA-256 of "FIDOKit recording".
    static let clientDataHash = Array(SHA256.hash(data: Array("FIDOKit recording".utf8)))

    func validate() throws {
        try OutputFile.check(self.output)
    }

    func run() async throws {
        let inner: any InjectedDevice
        if self.path == "virtual" {
            // A fresh authenticator (nothing of the saved one is recorded), which waits for a
            // touch as $FIDOKIT_VIRTUAL_TOUCH says, like every other use of the virtual key.
            let authenticator = try SoftwareAuthenticator(
                configuration: SoftwareAuthenticator.Configuration(userPresenceTimeoutMilliseconds: 30_000)
            )
            authenticator.userPresence = try VirtualAuthenticatorStore.presenceFromEnvironment()
            inner = SoftwareAuthenticatorDevice(authenticator: authenticator, path: "fidokit-virtual://record-source")
        } else {
            let hardware = try Device.list().filter { $0.transport != .virtual }
            let chosen: DeviceDescriptor
            if let path = self.path {
                guard let match = hardware.first(where: { $0.path == path }) else {
                    throw CommandFailure(.unavailable, "No key at \(path). \(DeviceOptions.listing(hardware))")
                }
                chosen = match
            } else {
                guard hardware.count == 1, let only = hardware.first else {
                    throw ValidationError("Choose the key to record with --device. \(DeviceOptions.listing(hardware))")
                }
                chosen = only
            }
            inner = HIDRawDevice(hardware: chosen, path: "fidokit-hidraw://\(chosen.path)")
        }
        let recorder = RecordingDevice(wrapping: inner, path: "fidokit-record://session")
        recorder.register()
        defer { DeviceRegistry.unregister(path: recorder.descriptor.path) }
        Interruption.keyWillOpen()
        let device = try await Device.open(recorder.descriptor)
        let info = try await device.info()
        Terminal.say("Recording: touch the key twice (enroll, then sign in).")
        let made = try await TouchPrompt.during { touch in
            try await device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: self.rpID,
                    userID: [1, 2, 3, 4],
                    userName: "recording",
                    clientDataHash: Self.clientDataHash
                ),
                touch: touch
            )
        }
        _ = try await TouchPrompt.during { touch in
            try await device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: self.rpID,
                    clientDataHash: Self.clientDataHash,
                    allowCredentials: [made.credentialID]
                ),
                touch: touch
            )
        }
        let header = [
            "steps": "open, getInfo, makeCredential, getAssertion",
            "rpId": self.rpID,
            "clientDataHash": Self.clientDataHash.map { String(format: "%02x", $0) }.joined(),
            "aaguid": info.aaguid?.description ?? "",
            "device": "\(inner.descriptor.manufacturer) \(inner.descriptor.product)",
            "recordedAt": ISO8601DateFormatter().string(from: Date()),
        ]
        try OutputFile.write(recorder.transcript.jsonLines(header: header), to: self.output, privacy: .secret)
        Terminal.say("Wrote \(recorder.transcript.reports.count) reports to \(Terminal.escaped(self.output)).")
    }
}
