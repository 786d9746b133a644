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

    static func load(_ path: String) throws -> PushDeviceState {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(PushDeviceState.self, from: data)
    }

    /// Writes the state readable by its owner only (it holds the device key).
    func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let url = URL(fileURLWithPath: path)
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// The fields of a `fidokit-push://enroll?ticket=…&secret=…&server=…` URI.
    static func parseEnrollmentURI(_ text: String) -> (ticket: String, secret: String, server: String)? {
        guard let components = URLComponents(string: text), components.scheme == "fidokit-push",
            components.host == "enroll"
        else { return nil }
        let items = components.queryItems ?? []
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        guard let ticket = value("ticket"), let secret = value("secret"), let server = value("server") else {
            return nil
        }
        return (ticket, secret, server)
    }

    /// A fresh device for an enrollment URI: new key, random push token.
    static func new(uri: String, name: String) -> PushDeviceState? {
        guard let (ticket, _, server) = Self.parseEnrollmentURI(uri) else { return nil }
        return PushDeviceState(
            privateKey: P256.Signing.PrivateKey().pemRepresentation,
            pushToken: "local-" + Base64URL.encode(Challenge.random(count: 24)),
            name: name,
            server: server,
            ticket: ticket,
            deviceID: nil
        )
    }
}
