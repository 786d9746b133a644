import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Terminal helpers: secret input without echo, confirmation, and the "touch your key" spinner.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// Reads a line from the terminal with echo off.
    static func readSecret(prompt: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("A PIN is needed: give --pin-file or set FIDOKIT_PIN (stdin is not a terminal).")
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }

    /// Asks a yes/no question on the terminal.
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        return readLine()?.lowercased().hasPrefix("y") == true
    }

    static func say(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints a warning on stderr.
    static func warn(_ text: String) {
        Self.say("warning: " + text)
    }

    /// Prints `text` on stderr and exits with status 1.
    static func fail(_ text: String) -> Never {
        Self.say(text)
        exit(1)
    }
}

/// Says "touch your key" when the key asks for a touch, with a spinner on a terminal.
final class TouchPrompt: @unchecked Sendable {
    private let lock = NSLock()
    private var spinning = false
    private var thread: Thread?

    /// The callback to hand to the driver.
    var callback: @Sendable () -> Void {
        { [self] in self.start() }
    }

    private func start() {
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
                FileHandle.standardError.write(Data("\r\(frames[index % frames.count]) Touch your security key…".utf8))
                index += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
            FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
        }
        self.thread = thread
        thread.start()
    }

    /// Runs `body` with a touch callback and stops the spinner afterwards, however it ends.
    static func during<Value>(_ body: (@escaping @Sendable () -> Void) async throws -> Value) async throws -> Value {
        let prompt = TouchPrompt()
        defer { prompt.stop() }
        return try await body(prompt.callback)
    }

    /// Stops the spinner.
    func stop() {
        self.lock.withLock { self.spinning = false }
        Thread.sleep(forTimeInterval: self.thread == nil ? 0 : 0.12)
    }
}
