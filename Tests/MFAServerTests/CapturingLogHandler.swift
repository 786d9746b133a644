import Foundation
import Logging

/// A LogHandler that keeps every line (message and metadata as text) for tests to read.
struct CapturingLogHandler: LogHandler {
    /// The lines logged through every copy of one handler.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(message: String, metadata: [String: String])] = []

        func append(_ message: String, _ metadata: [String: String]) {
            self.lock.withLock { self.entries.append((message, metadata)) }
        }

        var all: [(message: String, metadata: [String: String])] { self.lock.withLock { self.entries } }

        /// The metadata of the lines whose `event` is `event`.
        func events(_ event: String) -> [[String: String]] {
            self.all.map(\.metadata).filter { $0["event"] == event }
        }

        /// Every line as one text.
        var text: String {
            self.all.map { "\($0.message) \($0.metadata.sorted { $0.key < $1.key })" }.joined(separator: "\n")
        }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        self.lines.append("\(event.message)", merged.mapValues { "\($0)" })
    }
}

extension Logger {
    /// A logger writing into `lines`.
    static func capturing(_ lines: CapturingLogHandler.Lines) -> Logger {
        Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
    }
}
