import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files holding secrets (the server key, the database, the SMS outbox) and their folder are
/// private from their first byte: the folder is created 0700 and the files 0600 by `open(2)`
/// itself, never created readable and narrowed afterwards.
enum PrivateFiles {
    /// Creates the folder `path` (and its parents) with mode 0700 when it is missing.
    static func createDirectory(_ path: String) throws {
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    /// Creates `path` with mode 0600 holding `contents`; when it exists (made by an earlier
    /// version, or by hand), narrows it to 0600 if its group or others may read it.
    ///
    /// - Throws: ``MFAServerApp/StartupError`` when it cannot be created, written or narrowed.
    static func create(_ path: String, contents: [UInt8] = []) throws {
        try Self.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try Self.narrow(path) }
            throw MFAServerApp.StartupError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var written = 0
        while written < contents.count {
            let result = contents[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else {
                throw MFAServerApp.StartupError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }

    /// Takes group and other permissions off an existing file (the database and its WAL and
    /// shared-memory files, the SMS outbox): they hold password hashes and codes.
    ///
    /// - Throws: ``MFAServerApp/StartupError`` when the file's mode cannot be changed.
    static func narrow(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        guard chmod(path, status.st_mode & 0o700) == 0 else {
            throw MFAServerApp.StartupError(
                "\(path) can be read by others and its mode cannot be changed: \(String(cString: strerror(errno))); "
                    + "make it private with `chmod 600 \(path)` and start again"
            )
        }
    }

    /// Refuses a secret file that its group or others may read or write.
    ///
    /// - Throws: ``MFAServerApp/StartupError`` saying how to fix it.
    static func checkPrivate(_ path: String, what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw MFAServerApp.StartupError(
                "\(what) \(path) can be read by others (mode \(String(mode, radix: 8))); "
                    + "make it private with `chmod 600 \(path)` and start again"
            )
        }
    }
}
