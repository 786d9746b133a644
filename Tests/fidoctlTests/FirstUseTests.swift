import Crypto
import Foundation
import OTP
import Testing

/// What a first-time user meets: 80-bit authenticator secrets work for codes, a refused server
/// fails at once, and `info` prints plain values with every field fido2-token shows.
struct FirstUseTests {
    @Test func eightyBitSecretsComputeAndCheckCodes() throws {
        let code = try FidoctlRunner.run(["otp", "code", "--secret", "JBSWY3DPEHPK3PXP", "--time", "59"])
        #expect(code.status == 0, "\(code.stderr)")
        let expected = try TOTP(secret: try Base32.decode("JBSWY3DPEHPK3PXP")).code(at: Date(timeIntervalSince1970: 59))
        #expect(code.stdout == expected + "\n")
        let verified = try FidoctlRunner.run(["otp", "verify", "--secret", "JBSWY3DPEHPK3PXP", "--code", expected, "--time", "59"])
        #expect(verified.status == 0)
        #expect(verified.stdout == "1\n")
        // Shorter than 80 bits is still refused.
        #expect(try FidoctlRunner.run(["otp", "code", "--secret", "JBSWY3DPEHPK3P"]).status == 64)
    }

    @Test func aRefusedServerFailsFast() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("phone.json")
        let fields = ["privateKey": P256.Signing.PrivateKey().pemRepresentation, "pushToken": "t", "name": "n", "server": "http://127.0.0.1:9", "ticket": "x"]
        try JSONSerialization.data(withJSONObject: fields).write(to: state)
        #expect(chmod(state.path, 0o600) == 0)
        let start = Date()
        let result = try FidoctlRunner.run(["push-device", "inbox", "--state", state.path])
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("Cannot reach http://127.0.0.1:9"))
    }

    @Test func infoPrintsPlainValuesAndEveryField() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("info-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try FidoctlRunner.run(["info", "--device", "virtual"], environment: ["XDG_DATA_HOME": home.path])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains("versions: FIDO_2_0, FIDO_2_1"))
        #expect(lines.contains("maxCredentialCountInList: 8"))
        #expect(lines.contains("maxCredentialIdLength: 128"))
        #expect(lines.contains("pinRetries: absent"))  // no PIN set
        #expect(lines.contains("uvRetries: absent"))
        #expect(lines.contains { $0.hasPrefix("options: ") && $0.contains("rk") && $0.contains("noplat") })
        #expect(!result.stdout.contains("\""))
        #expect(!result.stdout.contains("-1"))
        let json = try FidoctlRunner.run(["info", "--device", "virtual", "--json"], environment: ["XDG_DATA_HOME": home.path])
        let object = try #require(json.verdicts.first)
        #expect(object["maxCredentialIdLength"] as? Int == 128)
        #expect(object["pinRetries"] == nil)
    }
}
