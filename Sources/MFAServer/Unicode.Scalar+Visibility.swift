extension Unicode.Scalar {
    /// Whether the character shows nothing where it stands: Unicode's Default_Ignorable_Code_Point
    /// (zero-width spaces and joiners, U+034F COMBINING GRAPHEME JOINER, the Hangul fillers
    /// U+115F/U+1160/U+3164/U+FFA0, variation selectors, tags, soft hyphen), the blanks that are
    /// not whitespace to Unicode but draw as one (U+2800 BRAILLE PATTERN BLANK), and whitespace
    /// itself. The one rule ``EmailAddress`` and ``DisplayText`` refuse invisible text by.
    var isInvisible: Bool {
        self.properties.isDefaultIgnorableCodePoint || self.properties.isWhitespace
            || self.properties.generalCategory == .spaceSeparator || Self.blanks.contains(self.value)
    }

    /// Characters of a visible category that draw as blank space (fillers and blank patterns).
    static let blanks: Set<UInt32> = [0x2800, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5, 0x1D159, 0x2063]

    /// Whether the character is a combining mark (Mn, Mc, Me): it draws on the character before it.
    var isCombiningMark: Bool {
        switch self.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
