import Foundation

/// Text people type that the dashboard stores and shows to others — display names, the names
/// of factors and phones: trimmed of surrounding whitespace and bounded, and refused when it
/// holds a control character (C0, DEL, C1, NUL: a store may cut the text there, a log line may
/// break) or a format character (bidi overrides and zero-width characters make one name look
/// like another).
enum DisplayText {
    /// `text` trimmed, or `nil` when nothing is left.
    ///
    /// - Throws: ``APIError`` `invalid_text` naming `field`.
    static func validated(_ text: String?, field: String, maximumLength: Int = 64) throws(APIError) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for scalar in trimmed.unicodeScalars {
            let value = scalar.value
            let refused =
                value < 0x20 || (0x7F...0x9F).contains(value) || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
            if refused {
                throw APIError(
                    .badRequest,
                    "invalid_text",
                    "The \(field) contains a control or formatting character."
                )
            }
        }
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximumLength else {
            throw APIError(.badRequest, "invalid_text", "The \(field) is longer than \(maximumLength) characters.")
        }
        return trimmed
    }
}
