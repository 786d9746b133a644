import FIDOMetadata
import Foundation
import Testing
import WebAuthn

/// The on-disk cache: only a verified, not-older BLOB replaces what is cached; a refused one
/// leaves the cache byte for byte as it was.
struct MetadataCacheTests {
    let pki: MetadataTestPKI
    let directory: URL
    init() throws {
        self.pki = try MetadataTestPKI()
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidokit-mds-\(UUID().uuidString)")
    }

    var cache: MetadataCache {
        MetadataCache(path: self.directory.appendingPathComponent("nested/mds3.jwt"), trustAnchors: [self.pki.root])
    }

    @Test func anEmptyCacheHoldsNothingThenTheVerifiedBLOB() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        #expect(try await self.cache.load() == nil)
        let jws = try self.pki.blob(number: 3, entries: MetadataTestPKI.entries())
        let stored = try await self.cache.update(with: jws)
        #expect(stored.number == 3)
        #expect(try Data(contentsOf: self.cache.path) == Data(jws))
        #expect(try await self.cache.load()?.metadata(aaguid: MetadataTestPKI.goodAAGUID)?.description == "FIDOKit Test Key")
    }

    @Test func refusedBLOBsLeaveTheCacheAlone() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let good = try self.pki.blob(number: 5, entries: MetadataTestPKI.entries())
        try await self.cache.update(with: good)

        var forged = try self.pki.blob(number: 6, entries: [])
        forged[forged.count - 3] = forged[forged.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let other = try MetadataTestPKI(name: "Impostor").blob(number: 9, entries: [])
        let older = try self.pki.blob(number: 4, entries: [])
        let expired = try self.pki.blob(number: 8, nextUpdate: MetadataTestPKI.day(-1), entries: [])
        for (bad, code) in [
            (forged, MetadataError.Code.signatureInvalid), (other, .untrusted), (older, .rollback), (expired, .expired), (Array("junk".utf8), .malformed),
        ] {
            await #expect(throws: MetadataError(code, "")) { try await self.cache.update(with: bad) }
            #expect(try Data(contentsOf: self.cache.path) == Data(good))
        }
        // The same serial again, or a newer one, is accepted.
        try await self.cache.update(with: good)
        #expect(try await self.cache.update(with: try self.pki.blob(number: 6, entries: [])).number == 6)
    }

    @Test func aTamperedCacheFileIsNotTrusted() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        try await self.cache.update(with: try self.pki.blob(entries: MetadataTestPKI.entries()))
        var bytes = try Data(contentsOf: self.cache.path)
        bytes[bytes.count - 4] = bytes[bytes.count - 4] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try bytes.write(to: self.cache.path)
        await #expect(throws: MetadataError(.signatureInvalid, "")) { try await self.cache.load() }
    }

    @Test func aCachedBLOBPastNextUpdateStillLoadsAndSaysItIsStale() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        try await self.cache.update(with: try self.pki.blob(nextUpdate: MetadataTestPKI.day(1), entries: []))
        let later = Date().addingTimeInterval(86_400 * 3)
        let loaded = try #require(try await self.cache.load(at: later))
        #expect(loaded.isStale(at: later))
    }
}
