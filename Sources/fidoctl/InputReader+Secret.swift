#if canImport(Glibc)
    import Glibc
#endif

extension InputReader {
    /// Reads a file that holds a secret (the phone's device key, the software authenticator's
    /// keys, an admin password), as ``file(_:limit:what:)`` does, refusing one that its group
    /// or others may read: exit 77 with the `chmod 600` to run, as for PIN files.
    ///
    /// - Throws: ``CommandFailure`` 66 or 65 as ``file(_:limit:what:)``; 77 for unsafe permissions.
    static func secretFile(_ path: String, limit: Int, what: String) throws(CommandFailure) -> [UInt8] {
        let name = "\(what) \(Terminal.escaped(path))"
        let descriptor = try Self.open(path, name: name)
        defer { _ = close(descriptor) }
        try Self.checkPrivate(descriptor, name: name, path: path)
        return try Self.read(descriptor, name: name, limit: limit)
    }

    /// Refuses an open file that its group or others may read (exit 77).
    static func checkPrivate(_ descriptor: Int32, name: String, path: String) throws(CommandFailure) {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        let mode = String(status.st_mode & 0o777, radix: 8)
        throw CommandFailure(
            .noPermission,
            "\(name.prefix(1).uppercased() + name.dropFirst()) holds a secret but may be read by others (mode \(mode)): run `chmod 600 \(Terminal.escaped(path))` first."
        )
    }
}
