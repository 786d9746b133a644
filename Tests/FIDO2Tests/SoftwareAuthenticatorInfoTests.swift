import FIDO2
import FIDO2Testing
import Testing
import WebAuthn

/// getInfo from the software authenticator, through libfido2's real CTAPHID and CTAP2 code.
struct SoftwareAuthenticatorInfoTests {
    @Test func getInfoThroughLibfido2() async throws {
        let authenticator = try SoftwareAuthenticator()
        let device = SoftwareAuthenticatorDevice(authenticator: authenticator, path: "fidokit-virtual://info-test")
        device.register()
        defer { DeviceRegistry.unregister(path: device.descriptor.path) }

        #expect(try Device.list().contains(device.descriptor))
        let opened = try await Device.open(device.descriptor)
        let info = try await opened.info()
        #expect(info.versions == ["FIDO_2_0", "FIDO_2_1"])
        #expect(info.aaguid?.bytes == authenticator.configuration.aaguid)
        #expect(info.options["rk"] == true)
        #expect(info.maxMessageSize == 1200)
        #expect(info.algorithms == [.es256, .edDSA])
        #expect(info.transports == ["usb"])
    }
}
