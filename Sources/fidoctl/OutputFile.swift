import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// fidoctl's only way to write a file named on the command line (`--output`, `--svg`,
/// `--hex-output`, `--state`): a regular file (or a missing one) is replaced atomically — a new
/// file beside it, synced, renamed over it — so a crash never leaves half of one; a character
/// device or a FIFO is written in place; a symbolic link is followed (its target is what gets
/// written); anything else (a directory, a socket, a block device) is refused, never replaced.
/// Every write is checked: a failure, ENOSPC included, is exit 74 with a sentence.
enum OutputFile {
    /// Who may read the file.
    enum Privacy {
        /// The file holds a secret (an OTP secret, PIN material, a device key): 0600.
        case secret
        /// Anyone the umask allows.
        case ordinary
    }

    /// Writes `text` to `path`.
    static func write(_ text: String, to path: String, privacy: Privacy) throws(CommandFailure) {
        try Self.write(Array(text.utf8), to: path, privacy: privacy)
    }

    /// Writes `bytes` to `path`.
    ///
    /// - Throws: ``CommandFailure`` with exit status 74.
    static func write(_ bytes: [UInt8], to path: String, privacy: Privacy) throws(CommandFailure) {
        guard !path.isEmpty else { throw CommandFailure(.usage, "An empty file name was given; name a file.") }
        let name = Terminal.escaped(path)
        let target = try Self.resolve(path, name: name)
        var status = stat()
        if stat(target, &status) != 0 {
            guard errno == ENOENT else { throw Self.failure(name, String(cString: strerror(errno))) }
            try Self.replace(target, with: bytes, name: name, privacy: privacy)
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            try Self.replace(target, with: bytes, name: name, privacy: privacy)
        case S_IFCHR, S_IFIFO:
            try Self.writeInPlace(target, bytes: bytes, name: name)
        case S_IFDIR:
            throw Self.failure(name, "it is a directory")
        default:
            throw Self.failure(name, "it is not a regular file, a character device or a FIFO")
        }
    }

    /// Checks, before any work, that `path` could be written: not a directory, nor a file type
    /// that would be refused at the end (a usage error, exit 64).
    static func check(_ path: String) throws {
        let name = Terminal.escaped(path)
        guard !path.isEmpty else { throw ValidationError("An empty file name was given; name a file.") }
        guard !path.hasSuffix("/") else { throw ValidationError("\(name) ends in a slash; name a file.") }
        let target = try Self.resolve(path, name: name)
        var status = stat()
        guard stat(target, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFCHR, S_IFIFO: return
        case S_IFDIR: throw ValidationError("\(name) is a directory; name a file.")
        default: throw ValidationError("\(name) is not a regular file, a character device or a FIFO.")
        }
    }

    /// `path` with a symbolic link at its end followed (links in its directories are the
    /// kernel's business).
    static func resolve(_ path: String, name: String) throws(CommandFailure) -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { throw Self.failure(name, String(cString: strerror(errno))) }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let directory = Self.directory(of: current)
            current = link.hasPrefix("/") || directory == "." ? link : directory + "/" + link
        }
        throw Self.failure(name, "too many levels of symbolic links")
    }

    /// The directory part of `path`, as dirname(3) sees it, worked out on its bytes: "." for a
    /// name with no slash ("q", "-"), "/" for one right under the root, otherwise everything before
    /// the last slash (slashes at the end ignored, repeated ones folded). Foundation's
    /// `deletingLastPathComponent` traps on a one-character name, so it is not used.
    static func directory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        guard end > 0 else { return "/" }
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }

    /// Writes a new file beside `target` and renames it over `target`.
    private static func replace(_ target: String, with bytes: [UInt8], name: String, privacy: Privacy)
        throws(CommandFailure)
    {
        let directory = Self.directory(of: target)
        var template = Array((directory + (directory.hasSuffix("/") ? "" : "/") + ".fidoctl-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw Self.failure(name, String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var done = false
        defer {
            if !done { _ = unlink(temporary) }
        }
        // mkstemp made it 0600; an ordinary file gets what the umask allows.
        if privacy == .ordinary {
            let mask = umask(0o022)
            _ = umask(mask)
            _ = fchmod(descriptor, 0o666 & ~mask)
        }
        let failure = Output.write(bytes, to: descriptor)
        let synced = failure == nil ? fsync(descriptor) == 0 : false
        let syncError = errno
        _ = close(descriptor)
        if let failure { throw Self.failure(name, failure) }
        guard synced else { throw Self.failure(name, String(cString: strerror(syncError))) }
        guard rename(temporary, target) == 0 else { throw Self.failure(name, String(cString: strerror(errno))) }
        done = true
    }

    /// Writes `bytes` into a character device or FIFO.
    private static func writeInPlace(_ target: String, bytes: [UInt8], name: String) throws(CommandFailure) {
        let descriptor = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw Self.failure(name, String(cString: strerror(errno))) }
        defer { _ = close(descriptor) }
        if let failure = Output.write(bytes, to: descriptor) { throw Self.failure(name, failure) }
    }

    private static func failure(_ name: String, _ reason: String) -> CommandFailure {
        CommandFailure(.ioError, "Cannot write \(name): \(reason).")
    }
}
