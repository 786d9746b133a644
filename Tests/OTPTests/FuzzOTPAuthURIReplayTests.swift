import FIDOKitTestSupport
import Foundation
import OTP
import Testing

/// FuzzTesting's FuzzOTPAuthURI inputs, through the fuzz target's check: a URI that parses, with
/// a writable issuer and account, writes back to one that parses to the same value.
struct FuzzOTPAuthURIReplayTests {
    @Test func everyFuzzInputParsesOrIsRefusedAndRoundTrips() throws {
        let inputs = FuzzCases.inputs("FuzzOTPAuthURI")
        #expect(!inputs.isEmpty)
        var parsed = 0
        for (name, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Base32.decode(text)
            guard let uri = try? OTPAuthURI(parsing: text) else { continue }
            parsed += 1
            let names = [uri.account] + (uri.issuer.map { [$0] } ?? [])
            guard names.allSatisfy({ !$0.contains(":") && $0.trimmingCharacters(in: .whitespaces) == $0 }) else {
                continue
            }
            #expect(try OTPAuthURI(parsing: uri.text) == uri, "\(name)")
        }
        #expect(parsed > 0)
    }
}
