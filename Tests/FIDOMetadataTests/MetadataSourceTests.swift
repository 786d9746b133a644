import FIDOKitTestSupport
import Foundation
import Testing

@testable import FIDOMetadata

/// Fetching BLOBs from a file and from an HTTP server on loopback.
struct MetadataSourceTests {
    @Test func textSelectsFileOrURL() {
        #expect(MetadataSource("https://mds3.fidoalliance.org/") == .url(URL(string: "https://mds3.fidoalliance.org/")!))
        #expect(MetadataSource("/var/lib/mds.jwt") == .file(URL(fileURLWithPath: "/var/lib/mds.jwt")))
    }

    @Test func aFileIsRead() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mds-\(UUID().uuidString).jwt")
        try Data("abc.def.ghi".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try await MetadataSource.file(file).fetch() == Array("abc.def.ghi".utf8))
        await #expect(throws: MetadataError(.unavailable, "")) {
            try await MetadataSource.file(URL(fileURLWithPath: "/nonexistent/mds.jwt")).fetch()
        }
    }

    @Test func aURLIsFetchedAndErrorsAreReported() async throws {
        let server = try LoopbackHTTPServer(files: ["blob.jwt": Array("blob-bytes".utf8)])
        defer { server.stop() }
        #expect(try await MetadataSource.url(server.url("blob.jwt")).fetch() == Array("blob-bytes".utf8))
        await #expect(throws: MetadataError(.unavailable, "")) { try await MetadataSource.url(server.url("missing.jwt")).fetch() }
    }

    @Test func aBLOBOverTheLimitIsRefusedFromAURLAndFromAFile() async throws {
        let server = try LoopbackHTTPServer(files: ["blob.jwt": Array("blob-bytes".utf8)])
        defer { server.stop() }
        let url = server.url("blob.jwt")
        #expect(try await MetadataSource.url(url).fetch(limit: 10) == Array("blob-bytes".utf8))
        await #expect(throws: MetadataError(.unavailable, "")) { try await MetadataSource.url(url).fetch(limit: 9) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mds-\(UUID().uuidString).jwt")
        try Data("abc.def.ghi".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect(throws: MetadataError(.unavailable, "")) { try await MetadataSource.file(file).fetch(limit: 5) }
        // A device that never ends is read only to the limit, then refused.
        await #expect(throws: MetadataError(.unavailable, "")) {
            try await MetadataSource.file(URL(fileURLWithPath: "/dev/zero")).fetch(limit: 1 << 16)
        }
    }

    /// A server that drips its answer is cut off at the deadline for the whole download, not
    /// waited for as long as it keeps sending (round-3 report: `mds update` ran for 320 s).
    @Test func aDrippingServerIsCutOffAtTheDeadline() async throws {
        let server = try DrippingHTTPServer()
        defer { server.stop() }
        let started = ContinuousClock.now
        let error = await #expect(throws: MetadataError.self) {
            try await MetadataSource.download(server.url("blob.jwt"), limit: 1 << 20, seconds: 2)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("within 2 s") == true, "\(String(describing: error))")
        // The server would drip for 500 s; a loaded machine (the whole suite at once) took 50 s.
        #expect(ContinuousClock.now - started < .seconds(240))
    }

    /// A refused connection is a sentence, not a dump of the HTTP client's error.
    @Test func aRefusedConnectionIsASentence() async throws {
        let error = await #expect(throws: MetadataError.self) {
            try await MetadataSource.url(URL(string: "http://127.0.0.1:9/blob.jwt")!).fetch()
        }
        #expect(error?.message.contains("the connection was refused") == true, "\(String(describing: error))")
    }
}
