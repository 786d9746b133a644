import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// fidoctl's only way to read stdin and input files: `read(2)` with every result checked and a
/// size cap, so a directory, a write-only or closed stdin, an unreadable file or endless input
/// (`< /dev/zero`) is a sentence and a sysexits status — 66 (EX_NOINPUT) when it cannot be
/// read, 65 (EX_DATAERR) when it is larger than the cap — never a trap or an exhausted memory.
enum InputReader {
    /// The cap on one response read by `verify registration`/`verify authentication` (16 MiB).
    static let responseLimit = 16 << 20
    /// The cap on one line of a `verify batch` input (1 MiB); a longer line gets a rejected
    /// `line_too_long` verdict and the batch goes on.
    static let batchLineLimit = 1 << 20
    /// The cap on a whole `verify batch` input (256 MiB).
    static let batchLimit = 256 << 20
    /// The cap on a metadata BLOB (`mds update --from`, `--mds`): 64 MiB.
    static let metadataLimit = 64 << 20
    /// The cap on small files: PEM anchors, PIN files, state files (4 MiB).
    static let smallFileLimit = 4 << 20

    /// Reads all of stdin, at most `limit` bytes.
    ///
    /// - Throws: ``CommandFailure`` 66 when stdin is closed, a directory or not readable; 65
    ///   when it holds more than `limit` bytes.
    static func standardInput(limit: Int = Self.responseLimit) throws(CommandFailure) -> [UInt8] {
        try Self.checkStandardInput()
        return try Self.read(STDIN_FILENO, name: "stdin", limit: limit)
    }

    /// Fails when stdin was closed when fidoctl started or is a directory.
    static func checkStandardInput() throws(CommandFailure) {
        if Output.wasClosedAtStart(STDIN_FILENO) {
            throw CommandFailure(.noInput, "Cannot read stdin: it is closed.")
        }
        var status = stat()
        if fstat(STDIN_FILENO, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw CommandFailure(.noInput, "Cannot read stdin: it is a directory.")
        }
    }

    /// Reads all of the file at `path`, at most `limit` bytes.
    ///
    /// - Throws: ``CommandFailure`` 66 when the file is missing, a directory or not readable;
    ///   65 when it holds more than `limit` bytes.
    static func file(_ path: String, limit: Int, what: String = "") throws(CommandFailure) -> [UInt8] {
        let name = what.isEmpty ? Terminal.escaped(path) : "\(what) \(Terminal.escaped(path))"
        let descriptor = try Self.open(path, name: name)
        defer { _ = close(descriptor) }
        return try Self.read(descriptor, name: name, limit: limit)
    }

    /// Reads the file at `path` as UTF-8 text, at most `limit` bytes.
    ///
    /// - Throws: ``CommandFailure`` 66 when it cannot be read, 65 when it is too large or not UTF-8.
    static func text(_ path: String, limit: Int, what: String = "") throws(CommandFailure) -> String {
        let bytes = try Self.file(path, limit: limit, what: what)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let name = what.isEmpty ? Terminal.escaped(path) : "\(what) \(Terminal.escaped(path))"
            throw CommandFailure(.dataError, "Cannot use \(name): it is not UTF-8 text.")
        }
        return text
    }

    /// Opens `path` for reading, refusing directories; an empty name is a usage error (64).
    static func open(_ path: String, name: String) throws(CommandFailure) -> Int32 {
        guard !path.isEmpty else {
            throw CommandFailure(
                .usage,
                "An empty file name was given for \(name.isEmpty ? "a file" : name); name a file."
            )
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CommandFailure(.noInput, "Cannot read \(name): \(String(cString: strerror(errno))).")
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            _ = close(descriptor)
            throw CommandFailure(.noInput, "Cannot read \(name): it is a directory.")
        }
        return descriptor
    }

    /// Reads `descriptor` to its end, at most `limit` bytes.
    static func read(_ descriptor: Int32, name: String, limit: Int) throws(CommandFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = try Self.readChunk(descriptor, into: &chunk, name: name)
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw CommandFailure(
                    .dataError,
                    "\(name.prefix(1).uppercased() + name.dropFirst()) is larger than \(Self.size(limit)): refused."
                )
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// One `read(2)`, retried after signals.
    ///
    /// - Returns: the number of bytes read into `chunk`, 0 at the end.
    static func readChunk(_ descriptor: Int32, into chunk: inout [UInt8], name: String) throws(CommandFailure) -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.read(descriptor, base, buffer.count)
            }
            if count >= 0 { return min(count, chunk.count) }
            if errno == EINTR { continue }
            throw CommandFailure(.noInput, "Cannot read \(name): \(String(cString: strerror(errno))).")
        }
    }

    /// `limit` for a message: "16 MiB".
    static func size(_ limit: Int) -> String {
        limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
    }
}

/// One line of a batch input, as read: its bytes, or only its length when it was over the cap.
enum BatchInputLine: Sendable {
    case text([UInt8])
    case tooLong(bytes: Int)
}

extension InputReader {
    /// Reads `descriptor` as lines, each at most `lineLimit` bytes (a longer one is kept as
    /// ``BatchInputLine/tooLong(bytes:)``, its bytes skipped), at most `limit` bytes in all.
    /// A final newline ends the last line; it does not start another.
    static func lines(
        _ descriptor: Int32,
        name: String,
        lineLimit: Int = Self.batchLineLimit,
        limit: Int = Self.batchLimit
    ) throws(CommandFailure) -> [BatchInputLine] {
        var lines: [BatchInputLine] = []
        var current: [UInt8] = []
        var currentLength = 0
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func finish() {
            lines.append(currentLength > lineLimit ? .tooLong(bytes: currentLength) : .text(current))
            current = []
            currentLength = 0
        }
        while true {
            let count = try Self.readChunk(descriptor, into: &chunk, name: name)
            if count == 0 { break }
            total += count
            guard total <= limit else {
                throw CommandFailure(
                    .dataError,
                    "\(name.prefix(1).uppercased() + name.dropFirst()) is larger than \(Self.size(limit)): refused."
                )
            }
            var start = 0
            while start < count {
                let end = Self.newline(in: chunk, from: start, to: count)
                currentLength += end - start
                if currentLength <= lineLimit {
                    current.append(contentsOf: chunk[start..<end])
                } else {
                    current = []
                }
                if end < count { finish() }
                start = end + 1
            }
        }
        if currentLength > 0 || !current.isEmpty { finish() }
        return lines
    }

    /// The index of the first newline in `chunk[from..<to]`, or `to` (memchr: a line of many
    /// megabytes is skipped at memory speed).
    private static func newline(in chunk: [UInt8], from: Int, to: Int) -> Int {
        chunk.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, from < to, to <= buffer.count else { return to }
            guard let found = memchr(base + from, Int32(UInt8(ascii: "\n")), to - from) else { return to }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
