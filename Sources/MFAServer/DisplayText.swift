import Foundation

/// Text people type that the dashboard stores and shows to others — display names, the names
/// of factors and phones: trimmed of surrounding whitespace and bounded, and refused when it
/// holds a control character (C0, DEL, C1, NUL: a store may cut the text there, a log line may
/// break), a format character (bidi overrides and zero-width characters make one name look
/// like another), or any other invisible character (`Unicode.Scalar.isInvisible`: U+034F in
/// `Ad\u{34F}min`, the Hangul fillers such as U+3164, U+2800 BRAILLE PATTERN BLANK) other than
/// a space — and when nothing in it is visible (only blanks or combining marks).
///
/// What emoji need is kept: U+200D ZERO WIDTH JOINER between two emoji (`👩‍💻`) and the
/// variation selectors U+FE0E/U+FE0F after one (`❤️`); anywhere else they are refused too.
enum DisplayText {
    /// `text` trimmed, or `nil` when nothing is left.
    ///
    /// - Throws: ``APIError`` `invalid_text` naming `field`.
    static func validated(_ text: String?, field: String, maximumLength: Int = 64) throws(APIError) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let scalars = Array(trimmed.unicodeScalars)
        for (offset, scalar) in scalars.enumerated() {
            let value = scalar.value
            let control =
                value < 0x20 || (0x7F...0x9F).contains(value) || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
            if control || (scalar.properties.generalCategory == .format && scalar != "\u{200D}") {
                throw APIError(.badRequest, "invalid_text", "The \(field) contains a control or formatting character.")
            }
            guard scalar.isInvisible, scalar != " " else { continue }
            let before = offset > 0 ? scalars[offset - 1] : nil
            let after = offset + 1 < scalars.count ? scalars[offset + 1] : nil
            if !Self.isEmojiJoiner(scalar, between: before, and: after) {
                throw APIError(.badRequest, "invalid_text", "The \(field) contains an invisible character.")
            }
        }
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.unicodeScalars.contains(where: { !$0.isInvisible && !$0.isCombiningMark }) else {
            throw APIError(.badRequest, "invalid_text", "The \(field) has no visible character.")
        }
        guard trimmed.count <= maximumLength else {
            throw APIError(.badRequest, "invalid_text", "The \(field) is longer than \(maximumLength) characters.")
        }
        return trimmed
    }

    /// Whether an invisible `scalar` is one an emoji sequence needs where it stands: a variation
    /// selector (U+FE0E, U+FE0F) right after an emoji, or a zero-width joiner between an emoji
    /// (or its variation selector or skin tone) and another emoji.
    static func isEmojiJoiner(_ scalar: Unicode.Scalar, between before: Unicode.Scalar?, and after: Unicode.Scalar?)
        -> Bool
    {
        func isEmoji(_ neighbour: Unicode.Scalar?) -> Bool {
            guard let neighbour, !neighbour.isASCII else { return false }
            return neighbour.properties.isEmoji
        }
        switch scalar {
        case "\u{FE0E}", "\u{FE0F}":
            // Keycaps (`1️⃣`) put the selector after an ASCII digit, `#` or `*`.
            guard let before else { return false }
            return before.properties.isEmoji
        case "\u{200D}":
            return (isEmoji(before) || before == "\u{FE0F}") && isEmoji(after)
        default:
            return false
        }
    }
}
