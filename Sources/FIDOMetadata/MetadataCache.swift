public import Foundation
public import X509

/// A metadata BLOB kept on disk between runs. A new BLOB replaces the cached one only after it
/// verified and is not older (by serial number) than it; a refused BLOB leaves the cache as it was.
public struct MetadataCache: Sendable {
    /// The file holding the cached BLOB (the JWS as fetched).
    public var path: URL
    /// The roots BLOBs must chain to.
    public var trustAnchors: [Certificate]

    /// The default location: `$XDG_CACHE_HOME/fidokit/mds3.jwt` (`~/.cache/fidokit/mds3.jwt`).
    public static var defaultPath: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("fidokit").appendingPathComponent("mds3.jwt")
    }

    /// Creates a cache at `path`.
    public init(path: URL = MetadataCache.defaultPath, trustAnchors: [Certificate] = MetadataBLOB.defaultTrustAnchors) {
        self.path = path
        self.trustAnchors = trustAnchors
    }

    /// The cached BLOB, verified again; `nil` when there is none. A cached BLOB whose
    /// `nextUpdate` has passed is still returned (check ``MetadataBLOB/isStale(at:)``).
    public func load(at time: Date = Date()) async throws(MetadataError) -> MetadataBLOB? {
        guard FileManager.default.fileExists(atPath: self.path.path) else { return nil }
        guard let data = try? Data(contentsOf: self.path) else {
            throw MetadataError(.unavailable, "The metadata cache \(self.path.path) cannot be read.")
        }
        return try await MetadataBLOB(
            verifying: Array(data),
            trustAnchors: self.trustAnchors,
            at: time,
            allowExpired: true
        )
    }

    /// Verifies `jws` and, when it is acceptable, makes it the cached BLOB.
    ///
    /// - Throws: ``MetadataError``: any verification error, `rollback` when the cached BLOB has
    ///   a higher serial number, `unavailable` when the cache cannot be written. In every case
    ///   the cache keeps its previous content.
    @discardableResult
    public func update(with jws: [UInt8], at time: Date = Date()) async throws(MetadataError) -> MetadataBLOB {
        let blob = try await MetadataBLOB(verifying: jws, trustAnchors: self.trustAnchors, at: time)
        if let cached = try? await self.load(at: time), cached.number > blob.number {
            throw MetadataError(
                .rollback,
                "The new metadata BLOB is #\(blob.number), older than the cached #\(cached.number)."
            )
        }
        do {
            try FileManager.default.createDirectory(
                at: self.path.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            // Written beside the cache and renamed over it, so a crash never leaves half a BLOB.
            try Data(jws).write(to: self.path, options: .atomic)
        } catch {
            throw MetadataError(
                .unavailable,
                "The metadata cache \(self.path.path) cannot be written: \(error.localizedDescription)"
            )
        }
        return blob
    }
}
