import QRCode
import Testing

/// The symbols libqrencode makes, read back structurally: size for the version, the three finder
/// patterns, the timing patterns, and both copies of the format information (BCH-valid, naming
/// the requested error-correction level).
struct QRCodeTests {
    static let uri =
        "otpauth://totp/FIDOKit%20Dashboard:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=FIDOKit%20Dashboard&algorithm=SHA1&digits=6&period=30"

    /// The 15 format bits around the top-left finder, and the copy split between the other two.
    static func formatBits(_ code: QRCode) -> (UInt32, UInt32) {
        func bit(x: Int, y: Int) -> UInt32 { code.isDark(row: y, column: x) ? 1 : 0 }
        var first: UInt32 = 0
        for x in 0..<6 { first = first << 1 | bit(x: x, y: 8) }
        first = first << 1 | bit(x: 7, y: 8)
        first = first << 1 | bit(x: 8, y: 8)
        first = first << 1 | bit(x: 8, y: 7)
        for y in stride(from: 5, through: 0, by: -1) { first = first << 1 | bit(x: 8, y: y) }
        var second: UInt32 = 0
        for y in stride(from: code.size - 1, through: code.size - 7, by: -1) { second = second << 1 | bit(x: 8, y: y) }
        for x in (code.size - 8)..<code.size { second = second << 1 | bit(x: x, y: 8) }
        return (first, second)
    }

    /// Unmasks format bits and checks their BCH(15,5) code; returns the error-correction bits.
    static func errorCorrectionBits(_ raw: UInt32) -> UInt32? {
        let value = raw ^ 0x5412
        let data = value >> 10
        var remainder = data << 10
        for shift in stride(from: 4, through: 0, by: -1) where remainder & (1 << (shift + 10)) != 0 {
            remainder ^= 0x537 << shift
        }
        guard (data << 10 | remainder) == value else { return nil }
        return data >> 3
    }

    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func symbolsAreWellFormed(_ level: QRCode.ErrorCorrection) throws {
        let code = try QRCode(encoding: Self.uri, errorCorrection: level)
        #expect(code.size == 17 + 4 * code.version)
        #expect(code.modules.count == code.size * code.size)
        // Finder patterns: a dark 7x7 ring, a light ring inside, a dark 3x3 centre.
        for (top, left) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            for row in 0..<7 {
                for column in 0..<7 {
                    let ring = max(abs(row - 3), abs(column - 3))
                    #expect(code.isDark(row: top + row, column: left + column) == (ring != 2))
                }
            }
        }
        // Timing patterns alternate between the finders.
        for index in 8..<(code.size - 8) {
            #expect(code.isDark(row: 6, column: index) == (index % 2 == 0))
            #expect(code.isDark(row: index, column: 6) == (index % 2 == 0))
        }
        let (first, second) = Self.formatBits(code)
        #expect(first == second)
        let expected: UInt32
        switch level {
        case .low: expected = 0b01
        case .medium: expected = 0b00
        case .quartile: expected = 0b11
        case .high: expected = 0b10
        }
        #expect(Self.errorCorrectionBits(first) == expected)
    }

    @Test func moreTextOrMoreCorrectionNeedsALargerSymbol() throws {
        let short = try QRCode(encoding: "otpauth://totp/a?secret=MZXW6")
        let long = try QRCode(encoding: Self.uri)
        #expect(short.version < long.version)
        let low = try QRCode(encoding: Self.uri, errorCorrection: .low)
        let high = try QRCode(encoding: Self.uri, errorCorrection: .high)
        #expect(low.version < high.version)
        #expect(throws: QRCodeError.tooLong) { try QRCode(encoding: String(repeating: "x", count: 4000)) }
    }

    @Test func renderingsShowEveryModule() throws {
        let code = try QRCode(encoding: "otpauth://totp/a?secret=MZXW6")
        let lines = code.terminalString(colors: false).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == (code.size + 8 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == code.size + 8 })
        let svg = code.svg(moduleSize: 4, margin: 4)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let squares = svg.components(separatedBy: "h1v1h-1z").count - 1
        #expect(squares == code.modules.filter { $0 }.count)
        #expect(!svg.contains("<script"))
    }

    /// Reads the terminal rendering back into modules: dark modules are ink (not inverted for
    /// dark terminals), and a 4-module light quiet zone surrounds the symbol.
    @Test(arguments: [false, true])
    func terminalRenderingIsDarkOnLightWithAFourModuleQuietZone(colors: Bool) throws {
        let code = try QRCode(encoding: Self.uri)
        let margin = 4
        var lines = code.terminalString(colors: colors).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if colors {
            for line in lines {
                #expect(line.hasPrefix("\u{1b}[30;107m") && line.hasSuffix("\u{1b}[0m"))
            }
            lines = lines.map { $0.replacingOccurrences(of: "\u{1b}[30;107m", with: "").replacingOccurrences(of: "\u{1b}[0m", with: "") }
        }
        var read: [[Bool]] = []
        for line in lines {
            var upper: [Bool] = []
            var lower: [Bool] = []
            for character in line {
                upper.append(character == "█" || character == "▀")
                lower.append(character == "█" || character == "▄")
            }
            read.append(upper)
            read.append(lower)
        }
        let side = code.size + 2 * margin
        #expect(read.count >= side)
        for row in 0..<side {
            for column in 0..<side {
                let module = code.isDark(row: row - margin, column: column - margin)
                #expect(read[row][column] == module, "module \(row - margin), \(column - margin)")
                if row < margin || column < margin || row >= side - margin || column >= side - margin {
                    #expect(!read[row][column])
                }
            }
        }
        // The top-left finder's corner module is dark, and printed as ink.
        #expect(read[margin][margin])
    }
}
