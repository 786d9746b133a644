import WebAuthn

/// The one rule for a challenge written as text, everywhere fidoctl takes one (`verify
/// --challenge`, `enroll`/`assert --challenge`, batch lines' `challenge`): base64url (A-Z a-z
/// 0-9 - _), no `=` padding, canonical (the unused bits of the last character are zero), as
/// the challenge appears in clientDataJSON. Standard base64, padding and other spellings of the
/// same bytes are refused rather than decoded leniently.
enum ChallengeText {
    /// The challenge's bytes, or nil when `text` breaks the rule.
    static func decode(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count % 4 != 1, text.unicodeScalars.allSatisfy(Self.isAlphabet) else {
            return nil
        }
        guard let bytes = Base64URL.decode(text), Base64URL.encode(bytes) == text else { return nil }
        return bytes
    }

    static func isAlphabet(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", "_": true
        default: false
        }
    }
}
