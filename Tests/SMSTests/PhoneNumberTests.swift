import SMS
import Testing

/// E.164: a plus, a country code not starting with 0, 8 to 15 digits; typing separators allowed.
struct PhoneNumberTests {
    @Test func validNumbersAreNormalised() throws {
        #expect(try PhoneNumber("+46 70 123 45 67").e164 == "+46701234567")
        #expect(try PhoneNumber("+1 (415) 555-2671").e164 == "+14155552671")
        #expect(try PhoneNumber("+441234567890").masked == "+••••••••••90")
    }

    @Test func invalidNumbersAreRefused() {
        for text in ["0701234567", "+0701234567", "+1234567", "+1234567890123456", "+1 415 555 CALL", "", "+", "46701234567"] {
            #expect(throws: SMSError.invalidPhoneNumber(text)) { try PhoneNumber(text) }
        }
    }
}
