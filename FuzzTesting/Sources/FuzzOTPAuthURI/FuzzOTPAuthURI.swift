import Foundation
import FuzzCommon
import OTP

/// libFuzzer's entry: the input as an `otpauth://` URI (and its secret parameter as Base32).
///
/// Checks: a URI that parses writes back (``OTPAuthURI/text``) to one that parses to the same
/// value, when its issuer and account are writable (no `:`, no surrounding spaces).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTPAuthURI(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? Base32.decode(text)
        guard let uri = try? OTPAuthURI(parsing: text) else { return }
        let names = [uri.account] + (uri.issuer.map { [$0] } ?? [])
        guard names.allSatisfy({ !$0.contains(":") && $0.trimmingCharacters(in: .whitespaces) == $0 && !$0.isEmpty })
        else { return }
        guard let again = try? OTPAuthURI(parsing: uri.text), again == uri else {
            fatalError("an otpauth URI does not survive writing and reading back")
        }
    }
}
