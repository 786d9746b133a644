import Foundation
import MFAServer
import Testing

/// The data folder is 0700 and every file in it 0600 from the first byte, when the real
/// `mfa-server` starts on a fresh folder; a key file others can read stops it with a sentence
/// saying how to fix it (issue 13, 2.5).
@Suite(.serialized) struct SecretFileModeTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    @Test func aFreshDataFolderIsPrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        // Started as from a shell with the usual umask: the server narrows it itself.
        let server = try RealServer(arguments: ["--data-directory", data.path])
        server.stop()
        #expect(server.isListening)
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
        let (status, message) = try RealServer.exit(["--port", String(RealServer.freePort()), "--data-directory", data.path])
        #expect(status == 78)
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
        let server = try RealServer(arguments: ["--data-directory", data.path])
        server.stop()
        #expect(server.isListening)
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
