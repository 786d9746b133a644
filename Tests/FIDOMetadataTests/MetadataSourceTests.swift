import FIDOKitTestSupport
import FIDOMetadata
import Foundation
import Testing

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
}
