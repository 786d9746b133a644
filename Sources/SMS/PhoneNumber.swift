/// A phone number in E.164 form: `+`, a country code that does not start with 0, at most 15
/// digits in all (ITU-T E.164 §6).
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `+` and the digits.
    public let e164: String

    /// Reads a number as a person types it: spaces, hyphens, dots and parentheses between
    /// digits are dropped; the `+` and country code are required.
    ///
    /// - Throws: ``SMSError/invalidPhoneNumber(_:)``.
    public init(_ text: String) throws(SMSError) {
        let compact = text.filter { !" -.()".contains($0) }
        guard compact.first == "+" else { throw .invalidPhoneNumber(text) }
        let digits = compact.dropFirst()
        guard (8...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), digits.first != "0" else {
            throw .invalidPhoneNumber(text)
        }
        self.e164 = compact
    }

    public var description: String { self.e164 }

    /// The number with all but the last two digits hidden, for pages and logs: `+•••••••••42`.
    public var masked: String {
        "+" + String(repeating: "•", count: self.e164.count - 3) + self.e164.suffix(2)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
