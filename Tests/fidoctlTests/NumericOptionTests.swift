import Foundation
import Testing

/// Every numeric option is range-checked before use: an out-of-range value is a usage error
/// (exit 64), never an arithmetic or range trap (exit 132).
struct NumericOptionTests {
    static let cases: [[String]] = [
        ["bench", "make-batch", "--count=-1"],
        ["bench", "make-batch", "--count", "9223372036854775807"],
        ["bench", "roundtrip", "--iterations", "9223372036854775807"],
        ["bench", "assertions", "--seconds", "1e300"],
        ["bench", "assertions", "--rounds=-1"],
        ["bench", "assertions", "--operations=-5"],
        ["bench", "signins", "--members", "9223372036854775807"],
        ["bench", "server", "--url", "http://127.0.0.1:9", "--admin-password-file", "/x", "--seconds", "1e300"],
        ["bench", "server", "--url", "http://127.0.0.1:99999", "--admin-password-file", "/x"],
        ["verify", "batch", "--jobs", "100000000"],
        ["assert", "--device", "virtual", "--rp-id", "localhost", "--timeout-ms", "99999999999"],
        ["otp", "code", "--secret", "JBSWY3DPEHPK3PXP", "--time=-1"],
        ["otp", "code", "--secret", "JBSWY3DPEHPK3PXP", "--time", "9223372036854775807"],
        ["otp", "code", "--secret", "JBSWY3DPEHPK3PXP", "--period", "0"],
        ["otp", "code", "--secret", "JBSWY3DPEHPK3PXP", "--digits", "99"],
        ["otp", "verify", "--secret", "JBSWY3DPEHPK3PXP", "--code", "1", "--time=-1"],
        ["verify", "registration", "--rp-id", "example.com", "--origin", "https://example.com", "--challenge", "AAAA", "--current-time-ms=-1"],
    ]

    @Test(arguments: Self.cases)
    func anOutOfRangeValueIsAUsageError(arguments: [String]) throws {
        let result = try FidoctlRunner.run(arguments, environment: ["XDG_DATA_HOME": FileManager.default.temporaryDirectory.path + "/fidoctl-num"])
        #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
