import Crypto
import Foundation
import WebAuthn

/// What the simulated phone keeps between commands: its P-256 key, its push token, where it
/// enrolled, and the device id the server gave it.
struct PushDeviceState: Codable {
    /// The device key, PEM (PKCS#8).
    var privateKey: String
    var pushToken: String
    var name: String
    var server: String
    var ticket: String
    var deviceID: String?

    /// The key.
    func key() throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(pemRepresentation: self.privateKey)
    }

    /// Reads a state file.
    ///
    /// - Throws: ``CommandFailure`` 66 when it is missing, a directory or unreadable; 65 when it
    ///   is not a simulated phone's state (or names a server that is not a valid URL).
    static func load(_ path: String) throws(CommandFailure) -> PushDeviceState {
        let bytes = try InputReader.secretFile(path, limit: InputReader.smallFileLimit, what: "the phone's state file")
        if let reason = StrictJSON.refusal(bytes) {
            throw CommandFailure(
                .dataError,
                "The phone's state file \(Terminal.escaped(path)) is not one `fidoctl push-device enroll` wrote: \(reason)."
            )
        }
        let state: PushDeviceState
        do {
            state = try JSONDecoder().decode(PushDeviceState.self, from: Data(bytes))
        } catch {
            let detail = (error as? DecodingError)?.summary ?? "it is not JSON"
            throw CommandFailure(
                .dataError,
                "The phone's state file \(Terminal.escaped(path)) is not one `fidoctl push-device enroll` wrote (\(detail))."
            )
        }
        do throws(PushEnrollmentURI.Refusal) {
            try PushEnrollmentURI.checkServer(state.server)
        } catch {
            throw CommandFailure(
                .dataError,
                "The phone's state file \(Terminal.escaped(path)) names a server that cannot be used: \(error.reason)."
            )
        }
        guard (try? state.key()) != nil else {
            throw CommandFailure(
                .dataError,
                "The phone's state file \(Terminal.escaped(path)) holds a privateKey that is not a P-256 key in PEM: it is damaged; enroll again."
            )
        }
        for (field, value) in [("pushToken", state.pushToken), ("deviceID", state.deviceID)] {
            if let value, let refusal = PushPathSegment.refusal(value) {
                throw CommandFailure(
                    .dataError,
                    "The phone's state file \(Terminal.escaped(path)) holds a \(field) that cannot be used: \(refusal)."
                )
            }
        }
        return state
    }

    /// Writes the state readable by its owner only (it holds the device key), atomically, into
    /// a regular file only (a link or a special file is refused, exit 64).
    func save(_ path: String) throws(CommandFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else {
            throw CommandFailure(.ioError, "Cannot encode the phone's state.")
        }
        try OutputFile.write([UInt8](data), to: path, privacy: .secret, kind: .regularOnly)
    }

    /// A fresh device for an enrollment URI: new key, random push token.
    static func new(uri: PushEnrollmentURI, name: String) -> PushDeviceState {
        PushDeviceState(
            privateKey: P256.Signing.PrivateKey().pemRepresentation,
            pushToken: "local-" + Base64URL.encode(Challenge.random(count: 24)),
            name: name,
            server: uri.server,
            ticket: uri.ticket,
            deviceID: nil
        )
    }
}
