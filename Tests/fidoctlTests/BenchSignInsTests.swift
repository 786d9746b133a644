import Foundation
import Testing

/// `fidoctl bench signins --kind services` runs whole sign-ins through the factor services
/// (a wrong verdict stops it with an error), and reports both rates.
struct BenchSignInsTests {
    @Test func servicesModeRunsBothSignIns() throws {
        let result = try FidoctlRunner.run(["bench", "signins", "--kind", "services", "--seconds", "0.3", "--members", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        for label in ["TOTP sign-ins", "WebAuthn ceremonies"] {
            let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(label) })
            let rate = try #require(Double(line.split(separator: " ").dropLast().last ?? ""))
            #expect(rate > 0)
        }
    }
}
