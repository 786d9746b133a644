import Crypto
import FIDO2
import FIDO2Testing
import Foundation
import WebAuthn

/// A software authenticator registered under a unique path and opened through libfido2.
struct VirtualKey {
    let authenticator: SoftwareAuthenticator
    let device: Device
    let path: String

    static func open(
        _ configuration: SoftwareAuthenticator.Configuration = .init(userPresenceTimeoutMilliseconds: 2_000),
        timeoutMilliseconds: Int? = nil
    ) async throws -> VirtualKey {
        let authenticator = try SoftwareAuthenticator(configuration: configuration)
        let path = "fidokit-virtual://test-\(UUID().uuidString)"
        let registered = SoftwareAuthenticatorDevice(authenticator: authenticator, path: path)
        registered.register()
        let device = try await Device.open(registered.descriptor, timeoutMilliseconds: timeoutMilliseconds)
        return VirtualKey(authenticator: authenticator, device: device, path: path)
    }

    func unregister() {
        DeviceRegistry.unregister(path: self.path)
    }
}

/// The relying party side of the end-to-end tests.
enum RelyingPartyFixture {
    static let id = "fidokit.example"
    static let origin = "https://fidokit.example"
    static let relyingParty = RelyingParty(id: id, origins: [origin])

    static func clientDataJSON(type: String, challenge: [UInt8]) -> [UInt8] {
        Array(#"{"type":"\#(type)","challenge":"\#(Base64URL.encode(challenge))","origin":"\#(origin)","crossOrigin":false}"#.utf8)
    }

    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
