import ArgumentParser
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Terminal helpers: secret input without echo, confirmation, and the "touch your key" spinner.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// The terminal's settings while a secret is read with echo off, so that Ctrl-C can put
    /// them back before fidoctl exits.
    private static let savedAttributes = Mutex<termios?>(nil)

    /// Reads a line from the terminal with echo off.
    ///
    /// - Parameter sources: the other ways to give it, named when stdin is not a terminal.
    /// - Returns: the line's bytes, without the newline; `nil` at end of input (Ctrl-D).
    /// - Throws: ``CommandFailure`` when stdin is not a terminal (nothing to prompt).
    static func readSecret(prompt: String, sources: String = "--pin-file or set $FIDOKIT_PIN") throws(CommandFailure)
        -> [UInt8]?
    {
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(
                .usage,
                "\(prompt.hasPrefix("New") ? "A new PIN" : "A PIN") is needed: give \(sources) (stdin is not a terminal)."
            )
        }
        Output.error(prompt)
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            throw CommandFailure(.ioError, "Cannot read the terminal's settings.")
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        Self.savedAttributes.withLock { $0 = original }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            Self.restore()
            Output.error("\n")
        }
        return Self.readLine()
    }

    /// Puts the terminal back as it was before a secret was read, if one is being read.
    ///
    /// - Returns: whether a secret was being read.
    @discardableResult
    static func restore() -> Bool {
        Self.savedAttributes.withLock { saved in
            guard var attributes = saved else { return false }
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &attributes)
            saved = nil
            return true
        }
    }

    /// Reads one line from stdin with read(2), without stdio's buffer (so a secret read with
    /// echo off and an answer read afterwards never share one).
    ///
    /// - Returns: the line's bytes without the newline, or `nil` at end of input.
    static func readLine() -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return line.isEmpty ? nil : line }
            if byte == UInt8(ascii: "\n") { return line }
            // A typed line (a PIN, a code, an answer) is short: endless input is not read on.
            guard line.count < 4_096 else { return line }
            line.append(byte)
        }
    }

    /// Asks a yes/no question on the terminal.
    static func confirm(_ question: String) -> Bool {
        Output.error("\(question) [y/N] ")
        return Self.readLine().map { String(decoding: $0, as: UTF8.self).lowercased().hasPrefix("y") } == true
    }

    /// Prints a line on stderr.
    static func say(_ text: String) {
        Output.error(text + "\n")
    }

    /// Prints a warning on stderr.
    static func warn(_ text: String) {
        Self.say("warning: " + text)
    }
}

/// Says "touch your key" when the key asks for a touch, with a spinner on a terminal.
final class TouchPrompt: @unchecked Sendable {
    private let lock = NSLock()
    private var spinning = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// The prompt of the request in progress, so that Ctrl-C can clear its line.
    private static let active = Mutex<TouchPrompt?>(nil)

    /// Whether the key asked for a touch in this run (so that a key falling silent afterwards
    /// is reported as a touch that never came).
    private static let requested = Atomic<Bool>(false)

    /// Whether a touch was asked for.
    static var wasRequested: Bool { Self.requested.load(ordering: .acquiring) }

    /// The callback to hand to the driver.
    var callback: @Sendable () -> Void {
        { [self] in self.start() }
    }

    private func start() {
        Self.requested.store(true, ordering: .releasing)
        self.lock.lock()
        defer { self.lock.unlock() }
        guard !self.spinning else { return }
        self.spinning = true
        guard Terminal.isInteractive else {
            Terminal.say("Touch your security key…")
            return
        }
        let thread = Thread { [self] in
            let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
            var index = 0
            while self.lock.withLock({ self.spinning }) {
                Output.error("\r\(frames[index % frames.count]) Touch your security key…")
                index += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
            Output.error("\r\u{1b}[K")
            self.finished.signal()
        }
        self.thread = thread
        thread.start()
    }

    /// Runs `body` with a touch callback and stops the spinner afterwards, however it ends.
    static func during<Value>(_ body: (@escaping @Sendable () -> Void) async throws -> Value) async throws -> Value {
        let prompt = TouchPrompt()
        Self.active.withLock { $0 = prompt }
        defer {
            Self.active.withLock { $0 = nil }
            prompt.stop()
        }
        return try await body(prompt.callback)
    }

    /// Stops the spinner of the request in progress and clears its line (Ctrl-C).
    static func stopActive() {
        Self.active.withLock { $0 }?.stop()
    }

    /// Stops the spinner and waits until its line is cleared.
    func stop() {
        let hadThread = self.lock.withLock {
            let running = self.spinning && self.thread != nil
            self.spinning = false
            return running
        }
        if hadThread {
            _ = self.finished.wait(timeout: .now() + 1)
        }
    }
}

extension Terminal {
    /// `text` made safe to print on a terminal: C0 and C1 control characters, DEL and the
    /// bidirectional controls (which could move the cursor, set the title, recolour or reorder
    /// what follows) become `\u{…}` escapes. For everything that came from outside — user and
    /// RP names from a key, input echoed in a message — in human-readable output.
    ///
    /// - Parameter keepingNewlines: leave line feeds as they are (for messages of several lines
    ///   whose parts were escaped already).
    static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if Self.isUnsafe(scalar) && !(keepingNewlines && scalar == "\n") {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether printing `scalar` raw could change the terminal or the text's order.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1f, 0x7f...0x9f: return true
        case 0x061c, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069: return true
        default: return false
        }
    }
}
