import Foundation

/// An e-mail address as the dashboard knows it: validated and canonicalised once, where it
/// comes in (sign-in, an admin adding a member, the first admin's flag), and then used as is for
/// the lookup, the sign-in limits' keys and storage — so one account has exactly one spelling.
///
/// Refused, never trimmed or repaired: control characters (C0, DEL, C1, NUL), format
/// characters (bidi controls, zero-width spaces and joiners: Unicode category Cf), whitespace
/// anywhere, anything but exactly one `@` (a full-width `＠` is not one), an empty local part or
/// domain, an empty domain label (`a@b..c`, a trailing dot), a domain without a dot, `<` and
/// `>`, and more than 254 UTF-8 bytes.
///
/// The canonical form is Unicode NFC, then lower-cased as a whole — the domain because DNS is
/// case-insensitive, and the local part too: RFC 5321 lets a mail server tell `Dave` from
/// `dave`, but no dashboard user expects two accounts to differ only in case, and a lock on one
/// must hold for the other.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The canonical form.
    public let value: String

    /// The longest address (RFC 5321's path limit less the angle brackets), in UTF-8 bytes.
    public static let maximumLength = 254

    /// Validates and canonicalises `text`.
    ///
    /// - Throws: ``AccountError/invalidEmail``.
    public init(_ text: String) throws(AccountError) {
        guard Self.isAcceptable(text) else { throw .invalidEmail }
        let canonical = text.precomposedStringWithCanonicalMapping.lowercased()
            .precomposedStringWithCanonicalMapping
        // Lower-casing can change the length or (rarely) bring back a refused character.
        guard Self.isAcceptable(canonical) else { throw .invalidEmail }
        self.value = canonical
    }

    public var description: String { self.value }

    /// Whether `text` passes every rule above.
    static func isAcceptable(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= Self.maximumLength else { return false }
        for scalar in text.unicodeScalars where !Self.isAllowed(scalar) { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, !domain.isEmpty
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// Whether a character may appear in an address at all.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return false }
        if scalar == "<" || scalar == ">" { return false }
        if scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint { return false }
        switch scalar.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator, .spaceSeparator, .unassigned, .surrogate,
            .privateUse:
            return false
        default:
            return true
        }
    }
}
