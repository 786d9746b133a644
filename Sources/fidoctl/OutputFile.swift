import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// fidoctl's only way to write a file named on the command line (`--output`, `--svg`,
/// `--hex-output`, `--state`, `mds update --cache`, udev rules). What the path names is found
/// with stat(2), links followed: a regular file (or a missing one) is replaced atomically — a new
/// file beside the link's target, synced, renamed over it — so a crash never leaves half of one;
/// a character device or a FIFO (`/dev/stdout` on a pipe or a terminal included) is opened as
/// named and written in place, never created; a directory, a socket or a block device is
/// refused, never replaced. Every write is checked: a failure, ENOSPC included, is exit 74 with
/// a sentence. A file holding a private key (``Kind/regularOnly``) must be a regular file itself.
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

    /// What a path may name.
    enum Kind {
        /// A regular file, a link to one, a character device or a FIFO (see the type's comment).
        case anyWritable
        /// A regular file or nothing, never a link or a special file: a file holding a private
        /// key must not end up in a terminal, a pipe or a link's target.
        case regularOnly
    }

    /// Writes `bytes` to `path`.
    ///
    /// - Throws: ``CommandFailure`` with exit status 74; 64 when a ``Kind/regularOnly`` path
    ///   names something other than a regular file.
    static func write(_ bytes: [UInt8], to path: String, privacy: Privacy, kind: Kind = .anyWritable)
        throws(CommandFailure)
    {
        guard !path.isEmpty else { throw CommandFailure(.usage, "An empty file name was given; name a file.") }
        let name = Terminal.escaped(path)
        if kind == .regularOnly {
            if let refusal = Self.notRegular(path) { throw CommandFailure(.usage, "\(name) \(refusal).") }
            try Self.replace(path, with: bytes, name: name, privacy: privacy)
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            // Missing, or a link to nothing: the link's target is created.
            guard errno == ENOENT else { throw Self.failure(name, String(cString: strerror(errno))) }
            try Self.replace(try Self.resolve(path, name: name), with: bytes, name: name, privacy: privacy)
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            try Self.replace(try Self.resolve(path, name: name), with: bytes, name: name, privacy: privacy)
        case S_IFCHR, S_IFIFO:
            // Opened as named: `/dev/stdout` on a pipe is /proc/self/fd/1, whose link text
            // (`pipe:[N]`) is no path; the kernel follows it.
            try Self.writeInPlace(path, bytes: bytes, name: name)
        case S_IFDIR:
            throw Self.failure(name, "it is a directory")
        default:
            let what = Self.kind(status.st_mode)
            throw Self.failure(name, "it is \(what), not a regular file, a character device or a FIFO")
        }
    }

    /// Why `path` cannot be a ``Kind/regularOnly`` file (nil when it is a regular file or missing).
    static func notRegular(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory; name a file"
        case let type:
            let what = type == S_IFLNK ? "a symbolic link" : Self.kind(status.st_mode)
            return "is \(what), not a regular file: it would hold a private key, so name a regular file or a new one"
        }
    }

    /// A file type in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// Checks, before any work, that `path` could be written: not a directory, nor a file type
    /// that would be refused at the end (a usage error, exit 64).
    static func check(_ path: String, kind: Kind = .anyWritable) throws {
        let name = Terminal.escaped(path)
        guard !path.isEmpty else { throw ValidationError("An empty file name was given; name a file.") }
        guard !path.hasSuffix("/") else { throw ValidationError("\(name) ends in a slash; name a file.") }
        if kind == .regularOnly {
            if let refusal = Self.notRegular(path) { throw ValidationError("\(name) \(refusal).") }
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFCHR, S_IFIFO: return
        case S_IFDIR: throw ValidationError("\(name) is a directory; name a file.")
        default:
            throw ValidationError(
                "\(name) is \(Self.kind(status.st_mode)), not a regular file, a character device or a FIFO."
            )
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

    /// Writes `bytes` into a character device or FIFO (never creating a file).
    private static func writeInPlace(_ target: String, bytes: [UInt8], name: String) throws(CommandFailure) {
        let descriptor = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw Self.failure(name, String(cString: strerror(errno))) }
        defer { _ = close(descriptor) }
        if let failure = Output.write(bytes, to: descriptor) { throw Self.failure(name, failure) }
    }

    /// A Foundation file error as the system's sentence (`Permission denied`), not
    /// `NSCocoaErrorDomain error 512`.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        switch (nsError.domain, nsError.code) {
        case (NSCocoaErrorDomain, 257), (NSCocoaErrorDomain, 513): return String(cString: strerror(EACCES))
        case (NSCocoaErrorDomain, 4), (NSCocoaErrorDomain, 260): return String(cString: strerror(ENOENT))
        case (NSCocoaErrorDomain, 516): return String(cString: strerror(EEXIST))
        case (NSCocoaErrorDomain, 640): return String(cString: strerror(ENOSPC))
        case (NSCocoaErrorDomain, 642): return String(cString: strerror(EROFS))
        default: return "the file system refused it"
        }
    }

    private static func failure(_ name: String, _ reason: String) -> CommandFailure {
        CommandFailure(.ioError, "Cannot write \(name): \(reason).")
    }
}
