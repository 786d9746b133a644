import OTP
import Testing

/// RFC 4226: the Appendix D vectors (Fixtures/otp/rfc4226-appendix-d.tsv), truncation included.
struct HOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    @Test func appendixDVectors() throws {
        let rows = try VectorFile.rows("otp/rfc4226-appendix-d.tsv")
        #expect(rows.count == 10)
        let hotp = try HOTP(secret: Self.secret)
        for row in rows {
            let counter = try #require(UInt64(row[0]))
            #expect(String(hotp.truncatedValue(counter: counter), radix: 16).leftPadded(to: 8) == row[1])
            #expect(String(hotp.truncatedValue(counter: counter)) == row[2])
            #expect(hotp.code(counter: counter) == row[3])
        }
    }

    @Test func parametersAreChecked() throws {
        #expect(throws: OTPError.unsupportedDigits(5)) { try HOTP(secret: Self.secret, digits: 5) }
        #expect(throws: OTPError.unsupportedDigits(9)) { try HOTP(secret: Self.secret, digits: 9) }
        #expect(throws: OTPError.secretTooShort(bytes: 9)) { try HOTP(secret: Array(repeating: 1, count: 9)) }
        // 80-bit secrets, common in the wild (JBSWY3DPEHPK3PXP), are accepted for checking codes.
        #expect(try HOTP(secret: Array(repeating: 1, count: 10)).code(counter: 0).count == 6)
    }

    @Test func codesKeepLeadingZeros() throws {
        // Counter 7's 6-digit code is 162583; its 8-digit code is the truncated value 82162583 mod 10^8.
        #expect(try HOTP(secret: Self.secret, digits: 8).code(counter: 7) == "82162583")
        let hotp = try HOTP(secret: Self.secret, digits: 8)
        #expect((0..<200).allSatisfy { hotp.code(counter: $0).count == 8 })
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - self.count)) + self
    }
}
