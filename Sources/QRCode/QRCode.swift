internal import CQRencode
import Foundation
import Synchronization

/// A QR code symbol made by libqrencode: a square of dark and light modules, for the
/// `otpauth://` URIs authenticator apps scan and for enrollment tickets.
public struct QRCode: Sendable, Hashable {
    /// How much of the symbol may be damaged and still read.
    public enum ErrorCorrection: Sendable, Hashable, CaseIterable {
        /// About 7 %.
        case low
        /// About 15 % (the default).
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high
    }

    /// The symbol version (1...40).
    public let version: Int
    /// Modules per side (17 + 4 · version).
    public let size: Int
    /// Row-major, `true` for dark.
    public let modules: [Bool]
    public let errorCorrection: ErrorCorrection

    /// Encodes `text` as bytes (8-bit mode) in the smallest version that holds it.
    ///
    /// - Throws: ``QRCodeError/tooLong`` when no version holds it, ``QRCodeError/encodingFailed`` otherwise.
    public init(encoding text: String, errorCorrection: ErrorCorrection = .medium) throws(QRCodeError) {
        let level: QRecLevel
        switch errorCorrection {
        case .low: level = QR_ECLEVEL_L
        case .medium: level = QR_ECLEVEL_M
        case .quartile: level = QR_ECLEVEL_Q
        case .high: level = QR_ECLEVEL_H
        }
        let bytes = Array(text.utf8)
        // libqrencode keeps internal state that is thread-unsafe without pthread support.
        let encoded: (version: Int, size: Int, modules: [Bool])? = Self.lock.withLock { _ in
            guard
                let symbol = bytes.withUnsafeBufferPointer({
                    QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, level)
                })
            else { return nil }
            defer { QRcode_free(symbol) }
            let width = Int(symbol.pointee.width)
            guard width > 0, let data = symbol.pointee.data else { return nil }
            // Bit 0 of each byte is the module's colour; the other bits describe its role.
            let modules = (0..<(width * width)).map { data[$0] & 1 == 1 }
            return (Int(symbol.pointee.version), width, modules)
        }
        guard let encoded else {
            throw errno == ERANGE ? .tooLong : .encodingFailed
        }
        self.version = encoded.version
        self.size = encoded.size
        self.modules = encoded.modules
        self.errorCorrection = errorCorrection
    }

    private static let lock = Mutex(())

    /// Whether the module at `row`, `column` is dark; outside the symbol (the quiet zone), light.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<self.size).contains(row), (0..<self.size).contains(column) else { return false }
        return self.modules[row * self.size + column]
    }

    /// The quiet zone the QR code standard (ISO/IEC 18004 §6.3.8) asks for: 4 modules.
    public static let standardMargin = 4

    /// The symbol for a terminal: two module rows per text line with half blocks, dark modules
    /// as ink, with a quiet zone of `margin` modules.
    ///
    /// - Parameter colors: paint every line black on white with ANSI escapes (`ESC[30;107m`), so
    ///   that the symbol reads the same on light and dark terminals; without them (a file, a
    ///   pipe) dark modules are the text colour on the page's background.
    public func terminalString(margin: Int = QRCode.standardMargin, colors: Bool = true) -> String {
        var lines: [String] = []
        for top in stride(from: -margin, to: self.size + margin, by: 2) {
            var line = colors ? "\u{1b}[30;107m" : ""
            for column in -margin..<(self.size + margin) {
                let upper = self.isDark(row: top, column: column)
                let lower = top + 1 < self.size + margin && self.isDark(row: top + 1, column: column)
                switch (upper, lower) {
                case (true, true): line += "█"
                case (true, false): line += "▀"
                case (false, true): line += "▄"
                case (false, false): line += " "
                }
            }
            if colors { line += "\u{1b}[0m" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The symbol as an SVG image: one path of unit squares, with a quiet zone of `margin` modules.
    public func svg(moduleSize: Int = 4, margin: Int = QRCode.standardMargin) -> String {
        let side = self.size + 2 * margin
        var path = ""
        for row in 0..<self.size {
            for column in 0..<self.size where self.isDark(row: row, column: column) {
                path += "M\(column + margin) \(row + margin)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side * moduleSize)" height="\(side * moduleSize)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" role="img"><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }
}

/// Why a QR code could not be made.
public enum QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLong
    case encodingFailed

    public var description: String {
        switch self {
        case .tooLong: return "The text is too long for a QR code."
        case .encodingFailed: return "libqrencode could not encode the text."
        }
    }
}
