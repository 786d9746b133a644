import OTP
import Testing

/// RFC 4648 §10 Base32 vectors (without padding), and the lenient input people type.
struct Base32Tests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ]

    @Test func rfc4648Vectors() throws {
        for (plain, encoded) in Self.vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(try Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(try Base32.decode("MZXW6YQ=") == Array("foob".utf8))
    }

    @Test func peopleCanTypeGroupsAndLowercase() throws {
        #expect(try Base32.decode("mzxw 6ytb-oi") == Array("foobar".utf8))
    }

    @Test func invalidTextIsRefused() {
        for text in ["MZXW1", "MZ!W", "MY=A", "MZ", "MZXW6YR"] {
            #expect(throws: OTPError.invalidBase32, "\(text)") { try Base32.decode(text) }
        }
    }

    @Test func roundTripsRandomBytes() throws {
        for length in 0..<64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255) }
            #expect(try Base32.decode(Base32.encode(bytes)) == bytes)
        }
    }
}
