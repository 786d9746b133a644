import Foundation
import MFAServer
import Testing

/// The data folder is 0700 and every file in it 0600 from the first byte, when the real
/// `mfa-server` starts on a fresh folder; a key file others can read stops it with a sentence
/// saying how to fix it (issue 13, 2.5).
@Suite(.serialized) struct SecretFileModeTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mfa-server")
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    static func freePort() -> Int {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aFreshDataFolderIsPrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let server = Process()
        server.executableURL = Self.binary
        server.arguments = ["--port", String(Self.freePort()), "--data-directory", data.path]
        // Started as from a shell with the usual umask: the server narrows it itself.
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        var seen = ""
        while !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        server.terminate()
        server.waitUntilExit()
        #expect(seen.contains("listening on"))
        #expect(try Self.mode(data.path) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: data.path)
        for name in ["server.key", "mfa.sqlite", "sms-outbox.jsonl"] { #expect(files.contains(name), "\(name) missing") }
        for name in files {
            #expect(try Self.mode(data.appendingPathComponent(name).path) == 0o600, "\(name) is not 0600")
        }
    }

    @Test func aKeyFileOthersCanReadStopsTheServer() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let key = data.appendingPathComponent("server.key")
        try Data("# FIDOKit server keys\n".utf8).write(to: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key.path)
        let server = Process()
        server.executableURL = Self.binary
        server.arguments = ["--port", String(Self.freePort()), "--data-directory", data.path]
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        server.waitUntilExit()
        #expect(server.terminationStatus == 78)
        #expect(message.contains("can be read by others"))
        #expect(message.contains("chmod 600 \(key.path)"))
        #expect(try Self.mode(key.path) == 0o644)  // told, not silently changed
    }

    /// A database, WAL and outbox left 0644 by an earlier version are narrowed to 0600 at start
    /// (they hold password hashes and codes; the key file alone is refused, since it may have leaked).
    @Test func readableDataFilesFromAnEarlierVersionAreNarrowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        _ = try MFAServerApp.keyRing(file: data.appendingPathComponent("server.key").path)
        for name in ["mfa.sqlite", "mfa.sqlite-wal", "sms-outbox.jsonl"] {
            let path = data.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        let server = Process()
        server.executableURL = Self.binary
        server.arguments = ["--port", String(Self.freePort()), "--data-directory", data.path]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        var seen = ""
        while !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        server.terminate()
        server.waitUntilExit()
        #expect(seen.contains("listening on"))
        for name in try FileManager.default.contentsOfDirectory(atPath: data.path) {
            #expect(try Self.mode(data.appendingPathComponent(name).path) == 0o600, "\(name) is not 0600")
        }
    }

    @Test func theLibraryRefusesAReadableKeyFileToo() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let key = data.appendingPathComponent("server.key").path
        _ = try MFAServerApp.keyRing(file: key)
        #expect(try Self.mode(key) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key)
        #expect(throws: MFAServerApp.StartupError.self) { try MFAServerApp.keyRing(file: key) }
    }
}
