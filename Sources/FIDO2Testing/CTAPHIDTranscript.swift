import Foundation

/// A recorded CTAPHID conversation: the 64-byte reports that went to and came from a device,
/// in order. Recordings FIDOKit makes (`fidoctl record`) hold both directions as JSON Lines
/// (`{"dir":"out"|"in","ms":N,"hex":"…"}`, after an optional header line `{"transcript":…}`);
/// libfido2's own wire data holds only the device's reports, one hex line each.
public struct CTAPHIDTranscript: Sendable, Hashable {
    /// Which way a report went.
    public enum Direction: String, Sendable, Hashable, Codable {
        /// Host to device.
        case out
        /// Device to host.
        case `in`
    }

    /// One 64-byte report.
    public struct Report: Sendable, Hashable {
        /// Which way it went.
        public var direction: Direction
        /// The 64 bytes (no HID report id).
        public var bytes: [UInt8]
        /// Milliseconds since the recording began, when known.
        public var milliseconds: Int?

        /// Creates a report.
        public init(direction: Direction, bytes: [UInt8], milliseconds: Int? = nil) {
            self.direction = direction
            self.bytes = bytes
            self.milliseconds = milliseconds
        }
    }

    /// What a transcript could not be read for.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        /// The 1-based line.
        public var line: Int
        /// What was wrong.
        public var reason: String
        public var description: String { "transcript line \(self.line): \(self.reason)" }
    }

    /// The reports, in order.
    public var reports: [Report]

    /// Creates a transcript.
    public init(reports: [Report]) {
        self.reports = reports
    }

    /// Whether the host's requests were recorded (so that replay can check them).
    public var hasRequests: Bool {
        self.reports.contains { $0.direction == .out }
    }

    /// Reads device reports from hex text, one 64-byte report per line (libfido2 wire data).
    public init(deviceReportsHex text: String) throws {
        var reports: [Report] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let bytes = Self.bytes(hex: trimmed), bytes.count == 64 else {
                throw FormatError(line: index + 1, reason: "not 64 bytes of hex")
            }
            reports.append(Report(direction: .in, bytes: bytes))
        }
        self.reports = reports
    }

    /// Reads a JSON Lines transcript.
    public init(jsonLines text: String) throws {
        var reports: [Report] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw FormatError(line: index + 1, reason: "not a JSON object")
            }
            if object["transcript"] != nil { continue }
            guard let direction = (object["dir"] as? String).flatMap(Direction.init(rawValue:)),
                let bytes = (object["hex"] as? String).flatMap(Self.bytes(hex:)), bytes.count == 64
            else {
                throw FormatError(line: index + 1, reason: "needs \"dir\" (out|in) and 64 bytes of \"hex\"")
            }
            reports.append(Report(direction: direction, bytes: bytes, milliseconds: object["ms"] as? Int))
        }
        self.reports = reports
    }

    /// The transcript as JSON Lines, with a header naming what was recorded.
    public func jsonLines(header: [String: String] = [:]) -> String {
        var lines: [String] = []
        if let data = try? JSONSerialization.data(withJSONObject: ["transcript": header], options: [.sortedKeys]) {
            lines.append(String(decoding: data, as: UTF8.self))
        }
        for report in self.reports {
            let hex = report.bytes.map { String(format: "%02x", $0) }.joined()
            let time = report.milliseconds.map { ",\"ms\":\($0)" } ?? ""
            lines.append("{\"dir\":\"\(report.direction.rawValue)\"\(time),\"hex\":\"\(hex)\"}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func bytes(hex: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
