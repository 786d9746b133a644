import FIDOKitTestSupport
import Foundation
import Testing

/// Every file fidoctl reads that holds a secret is refused, as PIN files are, when its group or
/// others may read it: exit 77 with the `chmod 600` to run, before the secret is used.
struct SecretFilePermissionTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-secret-\(UUID().uuidString)")

    @Test func secretFilesOthersMayReadAreRefusedWith77() throws {
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: self.directory) }
        func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }
        func expectRefused(_ result: FidoctlRunner.Result, _ file: String) {
            #expect(result.status == 77, "\(file): \(result.stderr)")
            #expect(result.stderr.contains("chmod 600 \(file)"), "\(file): \(result.stderr)")
        }

        // The phone's state (its device key), written 0600 by enroll, then opened up.
        let uri = "fidokit-push://enroll?ticket=T1&secret=S1&server=http://127.0.0.1:1"
        #expect(try FidoctlRunner.run(["push-device", "enroll", "--uri", uri, "--state", path("phone.json")]).status == 0)
        #expect(try FidoctlRunner.run(["push-device", "deny", "--state", path("phone.json"), "--transaction", "t", "--device-id", "d"]).status == 0)
        for mode: mode_t in [0o644, 0o640, 0o604] {
            #expect(chmod(path("phone.json"), mode) == 0)
            expectRefused(
                try FidoctlRunner.run(["push-device", "deny", "--state", path("phone.json"), "--transaction", "t", "--device-id", "d"]),
                path("phone.json")
            )
        }

        // bench server's admin password file: refused before any request is made.
        try Data("pw".utf8).write(to: URL(fileURLWithPath: path("admin-password")))
        #expect(chmod(path("admin-password"), 0o644) == 0)
        expectRefused(
            try FidoctlRunner.run([
                "bench", "server", "--url", "http://127.0.0.1:1", "--origin", "http://localhost:1",
                "--admin-password-file", path("admin-password"), "--members", "1", "--seconds", "1",
            ]),
            path("admin-password")
        )

        // The software authenticator's state (its credentials' private keys).
        let environment = ["XDG_DATA_HOME": self.directory.path]
        let enrolled = try FidoctlRunner.run(["enroll", "--device", "virtual", "--rp-id", "a.example", "--user", "u"], environment: environment)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        let store = path("fidokit/virtual-authenticator.json")
        #expect(chmod(store, 0o644) == 0)
        expectRefused(try FidoctlRunner.run(["info", "--device", "virtual"], environment: environment), store)
    }
}
