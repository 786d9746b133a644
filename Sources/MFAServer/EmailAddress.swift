import Foundation

/// An e-mail address as the dashboard knows it: validated and canonicalised once, where it
/// comes in (sign-in, an admin adding a member, the first admin's flag), and then used as is for
/// the lookup, the sign-in limits' keys and storage — so one account has exactly one spelling.
///
/// Refused, never trimmed or repaired: control characters (C0, DEL, C1, NUL), format
/// characters (bidi controls, zero-width spaces and joiners: Unicode category Cf), whitespace
/// and every other invisible character anywhere (Default_Ignorable_Code_Point such as U+034F,
/// the Hangul fillers such as U+3164, U+2800 BRAILLE PATTERN BLANK: `Unicode.Scalar.isInvisible`),
/// a combining mark that does not follow a letter (`\u{300}@…` alone, `m1\u{301}@…` on a
/// digit, one after a dot or a symbol), anything but exactly one `@` (a full-width `＠` is not one), an empty local part or
/// domain, an empty domain label (`a@b..c`, a trailing dot), a domain without a dot, `<` and
/// `>`, and RFC 5321's limits: more than 254 UTF-8 bytes in all, a local part over 64, a domain
/// over 253, a label over 63.
///
/// The canonical form is Unicode NFKC, then full Unicode case folding (then NFKC again, so
/// NFKC_Casefold in effect): full-width letters (`ｄave`), letter-like symbols (`Ⅾ`, the Roman
/// numeral) and compatibility forms (`ſ`, the long s) fold to the letters they stand for, and
/// case folding goes where lower-casing stops: `Σ`, `σ` and the final `ς` are one letter, `ß`
/// and `ẞ` are `ss`; the domain is lower-cased because DNS
/// is case-insensitive, and the local part too: RFC 5321 lets a mail server tell `Dave` from
/// `dave`, but no dashboard user expects two accounts to differ only in case, and a lock on one
/// must hold for the other.
///
/// The domain, after that, must be ASCII letters, digits and hyphens (LDH; no label begins or
/// ends with a hyphen): an internationalised domain is given in its A-label form
/// (`xn--exmple-cua.com`), and its U-label form (`exämple.com`) is refused with
/// ``AccountError/internationalDomain`` saying so — one spelling per domain, without an IDNA
/// table in the server. Address literals (`dave@[127.0.0.1]`) are refused, and so is an all-numeric
/// top-level label (`dave@1.2.3.4`, `x@example.123`). An `xn--` label must decode as Punycode
/// (RFC 3492) to a lower-case NFC label with a non-ASCII character and no refused one
/// (``isALabel(_:)``; the IDNA2008 code-point table itself is not checked).
///
/// The local part is a dot-atom (RFC 5322 §3.2.3): ASCII letters, digits and
/// ``atextSymbols``, joined by single dots — no quoted strings (`"dave"`), comments (`(c)a`),
/// backslashes, or leading, trailing or doubled dots. It may hold other Unicode letters
/// (RFC 6531), after NFKC.
///
/// Addresses stored before NFKC and case folding were applied: every address the server accepted
/// before was NFC and lower-case, and in practice ASCII, for which neither changes anything, so
/// they still sign in (one stored with `ß` or a final `ς` is now looked up as `ss` or `σ`).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The canonical form.
    public let value: String

    /// The longest address (RFC 5321's path limit less the angle brackets), in UTF-8 bytes.
    public static let maximumLength = 254
    /// The longest local part (RFC 5321 §4.5.3.1.1), in UTF-8 bytes.
    public static let maximumLocalLength = 64
    /// The longest domain (RFC 1035 §2.3.4 less the root's dot), in bytes.
    public static let maximumDomainLength = 253
    /// The longest domain label (RFC 1035), in bytes.
    public static let maximumLabelLength = 63

    /// Validates and canonicalises `text`.
    ///
    /// - Throws: ``AccountError/invalidEmail``, or ``AccountError/internationalDomain`` for a
    ///   domain in Unicode form.
    public init(_ text: String) throws(AccountError) {
        guard Self.isAcceptable(text) else { throw .invalidEmail }
        // The shape rules hold for what was typed too: folding turns some marks into letters
        // (U+0345 becomes ι), which would let a stray mark through.
        let composed = text.precomposedStringWithCompatibilityMapping
        guard let typedLocal = composed.split(separator: "@", omittingEmptySubsequences: false).first,
            Self.isDotAtom(typedLocal)
        else { throw .invalidEmail }
        let canonical = Self.canonicalForm(text)
        // Folding can change the length or (rarely) bring back a refused character.
        guard Self.isAcceptable(canonical) else { throw .invalidEmail }
        let parts = canonical.split(separator: "@", omittingEmptySubsequences: false)
        guard let local = parts.first, let domain = parts.last, local.utf8.count <= Self.maximumLocalLength,
            domain.utf8.count <= Self.maximumDomainLength
        else { throw .invalidEmail }
        guard Self.isDotAtom(local) else { throw .invalidEmail }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard label.utf8.count <= Self.maximumLabelLength, label.first != "-", label.last != "-" else {
                throw .invalidEmail
            }
            for scalar in label.unicodeScalars {
                switch scalar {
                case "a"..."z", "0"..."9", "-": continue
                case _ where !scalar.isASCII: throw .internationalDomain
                default: throw .invalidEmail  // `[`, `]`, `_`, `!`, …: no address literals
                }
            }
            if label.hasPrefix("xn--"), !Self.isALabel(label) { throw .invalidEmail }
        }
        // A numeric top-level label is an IPv4 address's (`1.2.3.4`) or none at all.
        guard let top = labels.last, !top.allSatisfy(\.isNumber) else { throw .invalidEmail }
        self.value = canonical
    }

    public var description: String { self.value }

    /// NFKC, full case folding (`folding(options: .caseInsensitive)`: CaseFolding.txt's C and F
    /// mappings, locale-independent), NFKC again.
    static func canonicalForm(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.folding(options: .caseInsensitive, locale: nil)
            .precomposedStringWithCompatibilityMapping
    }

    /// Whether `text` passes the character and shape rules above.
    static func isAcceptable(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= Self.maximumLength else { return false }
        for scalar in text.unicodeScalars where !Self.isAllowed(scalar) { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, !domain.isEmpty
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// The characters of RFC 5322's `atext` other than letters and digits.
    static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// Whether a local part is a dot-atom (RFC 5322 §3.2.3): atoms of `atext` (ASCII letters,
    /// digits and ``atextSymbols``, or non-ASCII characters as RFC 6531 allows) joined by single
    /// dots. No quoted strings, comments, backslashes or leading, trailing or doubled dots.
    static func isDotAtom(_ local: Substring) -> Bool {
        local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            guard !atom.isEmpty else { return false }
            // A combining mark draws on the letter before it: one on nothing, a digit, a dot or a
            // symbol is a look-alike (`m1\u{301}`) or shows as nothing at all.
            var afterLetter = false
            for scalar in atom.unicodeScalars {
                if scalar.isCombiningMark {
                    guard afterLetter else { return false }
                    continue
                }
                guard
                    !scalar.isASCII || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || Self.atextSymbols.contains(scalar)
                else { return false }
                afterLetter = scalar.properties.isAlphabetic
            }
            return true
        }
    }

    /// Whether an `xn--` label is an A-label as far as the server checks without an IDNA table:
    /// the rest is valid Punycode (RFC 3492) standing for a label with a non-ASCII character,
    /// every character one an address may hold, lower-case and in NFC (`xn--zz` does not decode,
    /// `xn--a` decodes to the control character U+0080: both refused).
    static func isALabel(_ label: Substring) -> Bool {
        guard let decoded = Punycode.decode(label.dropFirst(4)), decoded.contains(where: { !$0.isASCII }),
            decoded.allSatisfy(Self.isAllowed)
        else { return false }
        var text = ""
        text.unicodeScalars.append(contentsOf: decoded)
        return text == text.lowercased() && text == text.precomposedStringWithCanonicalMapping
    }

    /// Whether a character may appear in an address at all.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return false }
        if scalar == "<" || scalar == ">" { return false }
        if scalar.isInvisible { return false }
        switch scalar.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator, .spaceSeparator, .unassigned, .surrogate,
            .privateUse:
            return false
        default:
            return true
        }
    }
}
