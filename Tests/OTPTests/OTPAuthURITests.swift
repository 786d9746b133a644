import OTP
import Testing

/// `otpauth://` URIs: what apps scan, and parsing what other issuers produce.
struct OTPAuthURITests {
    @Test func theWikiExampleParses() throws {
        let uri = try OTPAuthURI(
            parsing: "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
        )
        #expect(uri.issuer == "ACME Co")
        #expect(uri.account == "john.doe@email.com")
        #expect(uri.kind == .totp(period: 30))
        #expect(uri.algorithm == .sha1)
        #expect(uri.digits == 6)
        #expect(Base32.encode(uri.secret) == "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ")
    }

    @Test func writtenURIsRoundTripWithEveryParameter() throws {
        let original = OTPAuthURI(
            kind: .totp(period: 60),
            issuer: "FIDOKit Dashboard",
            account: "ada@example.com",
            secret: OTPSecret.generate(),
            algorithm: .sha256,
            digits: 8
        )
        #expect(original.text.hasPrefix("otpauth://totp/FIDOKit%20Dashboard:ada@example.com?secret="))
        #expect(original.text.contains("&issuer=FIDOKit%20Dashboard&algorithm=SHA256&digits=8&period=60"))
        #expect(try OTPAuthURI(parsing: original.text) == original)
        let hotp = OTPAuthURI(kind: .hotp(counter: 5), issuer: nil, account: "bob", secret: OTPSecret.generate())
        #expect(try OTPAuthURI(parsing: hotp.text) == hotp)
    }

    @Test func badURIsSayWhy() {
        let bad = [
            "https://example.com", "otpauth://totp/a?issuer=x", "otpauth://totp/a?secret=M1",
            "otpauth://totp/a?secret=MZXW6&digits=9", "otpauth://totp/a?secret=MZXW6&period=0",
            "otpauth://hotp/a?secret=MZXW6", "otpauth://motp/a?secret=MZXW6", "otpauth://totp/?secret=MZXW6",
            "otpauth://totp/X:a?secret=MZXW6&issuer=Y", "otpauth://totp/a?secret=MZXW6&algorithm=MD5",
        ]
        for text in bad {
            #expect(throws: OTPError.self, "\(text)") { try OTPAuthURI(parsing: text) }
        }
    }
}
