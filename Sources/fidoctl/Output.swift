import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// fidoctl's only way to write to stdout and stderr: `write(2)` with every result checked, so a
/// full disk, a closed pipe (with SIGPIPE ignored, as under systemd) or a closed stream is
/// reported (exit 74, EX_IOERR) instead of trapping or being lost.
enum Output {
    /// The streams that were closed when fidoctl started; their descriptors now hold /dev/null,
    /// so that no file fidoctl opens lands on them, and writing to them still counts as failing.
    private static let closedAtStart = Mutex<Set<Int32>>([])
    /// The first write to stderr that failed, if any.
    private static let standardErrorFailure = Mutex<String?>(nil)

    /// Reserves descriptors 0, 1 and 2: each closed one is opened on /dev/null and remembered.
    static func reserveStandardDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", O_RDWR)
            if opened >= 0 && opened != descriptor {
                _ = dup2(opened, descriptor)
                _ = close(opened)
            }
            Self.closedAtStart.withLock { _ = $0.insert(descriptor) }
        }
    }

    /// Writes `text` to stdout.
    ///
    /// - Throws: ``CommandFailure`` with exit status 74 when not every byte could be written.
    static func write(_ text: String) throws(CommandFailure) {
        if let failure = Self.write(Array(text.utf8), to: STDOUT_FILENO) {
            throw CommandFailure(.ioError, "Cannot write the output to stdout: \(failure).")
        }
    }

    /// Writes `text` and a newline to stdout.
    ///
    /// - Throws: ``CommandFailure`` with exit status 74 when not every byte could be written.
    static func line(_ text: String) throws(CommandFailure) {
        try Self.write(text + "\n")
    }

    /// Writes `text` to stderr. A failure is remembered and makes fidoctl exit 74 at the end.
    static func error(_ text: String) {
        if let failure = Self.write(Array(text.utf8), to: STDERR_FILENO) {
            Self.standardErrorFailure.withLock { $0 = $0 ?? failure }
        }
    }

    /// Whether `descriptor` was closed when fidoctl started.
    static func wasClosedAtStart(_ descriptor: Int32) -> Bool {
        Self.closedAtStart.withLock { $0.contains(descriptor) }
    }

    /// Why a write to stderr failed, when one did.
    static var standardErrorFailed: String? {
        Self.standardErrorFailure.withLock { $0 }
    }

    /// Writes all of `bytes` to `descriptor`, retrying after signals and partial writes.
    ///
    /// - Returns: `nil` on success, else the reason (`strerror`).
    static func write(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        if Self.closedAtStart.withLock({ $0.contains(descriptor) }) {
            return "the stream is closed"
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            if written == 0 { return "nothing was written" }
            offset += written
        }
        return nil
    }
}

extension Output {
    /// Writes `data` to stdout.
    ///
    /// - Throws: ``CommandFailure`` with exit status 74 when not every byte could be written.
    static func write(_ data: Data) throws(CommandFailure) {
        if let failure = Self.write([UInt8](data), to: STDOUT_FILENO) {
            throw CommandFailure(.ioError, "Cannot write the output to stdout: \(failure).")
        }
    }
}
