public import Foundation
import MFAFactors
public import MFAStore
public import Testing

/// A fresh SQLite store in a temporary folder.
public struct TemporaryStore: Sendable {
    public let directory: URL
    public let store: SQLiteRecordStore

    /// Creates the store.
    public init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfastore-\(UUID().uuidString)")
        self.store = try SQLiteRecordStore(path: self.directory.appendingPathComponent("mfa.sqlite").path)
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}

/// The stores every contract test runs against. PostgreSQL is the server `scripts/test.sh`
/// starts; its URL comes from `FIDOKIT_POSTGRES_URL`, and without it the PostgreSQL cases fail
/// (they are never skipped).
public enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres
    /// SQLite behind the process-local cache, with challenges in memory (the server's embedded
    /// default).
    case sqliteCached = "sqlite-cached"
    /// Records in this process's memory only (what the server does with challenges).
    case memory

    public var testDescription: String { self.rawValue }

    /// A store whose records no other test sees (a temporary SQLite file, or a fresh kind
    /// namespace in the shared PostgreSQL database), and how to clean it up.
    public func make() async throws -> (store: any RecordStore, cleanUp: @Sendable () -> Void) {
        switch self {
        case .sqlite:
            let temporary = try TemporaryStore()
            return (temporary.store, { temporary.remove() })
        case .sqliteCached:
            let temporary = try TemporaryStore()
            let store = KindRoutingRecordStore(
                routing: FactorDirectory.memoryOnlyKinds,
                base: CachingRecordStore(base: temporary.store)
            )
            return (store, { temporary.remove() })
        case .memory:
            // Pruning on insert would drop the long-expired records the expiry tests keep
            // (`MemoryRecordStoreTests` covers it).
            return (MemoryRecordStore(grace: 86_400), {})
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["FIDOKIT_POSTGRES_URL"] else {
                throw StoreError.database("FIDOKIT_POSTGRES_URL is not set: run scripts/test.sh, which starts PostgreSQL")
            }
            // Each test has its own pool: a fixed size (the default is four per core) keeps their
            // sum under the test server's 400 connections on a machine of any size.
            var components = URLComponents(string: url)
            let query = components?.queryItems ?? []
            if !query.contains(where: { $0.name == "max_connections" }) {
                components?.queryItems = query + [URLQueryItem(name: "max_connections", value: "8")]
            }
            let store = try await PostgresRecordStore(url: components?.string ?? url)
            return (NamespacedStore(base: store, namespace: UUID().uuidString + "/"), { store.shutdown() })
        }
    }
}

/// Prefixes every kind, so tests sharing one database never see each other's records.
public struct NamespacedStore: RecordStore {
    public let base: any RecordStore
    public let namespace: String

    /// Wraps `base`.
    public init(base: any RecordStore, namespace: String) {
        self.base = base
        self.namespace = namespace
    }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        do {
            try await self.base.insert(kind: self.namespace + kind, id: id, owner: owner, data: data, expiresAt: expiresAt)
        } catch {
            // Errors name the kind the test used.
            guard error.code == .duplicate, let id = error.id else { throw error }
            throw .duplicate(kind: kind, id: id)
        }
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        try await self.base.get(kind: self.namespace + kind, id: id).map { record in
            var record = record
            record.kind = kind
            return record
        }
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.base.list(kind: self.namespace + kind, owner: owner).map { record in
            var record = record
            record.kind = kind
            return record
        }
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool {
        try await self.base.compareAndSwap(kind: self.namespace + kind, id: id, expectedVersion: expectedVersion, data: data)
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        try await self.base.delete(kind: self.namespace + kind, id: id, expectedVersion: expectedVersion)
    }

    public var isWrittenByThisProcessOnly: Bool { self.base.isWrittenByThisProcessOnly }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError) -> [RecordKey] {
        try await self.base.deleteExpired(before: date, kindPrefix: self.namespace + kindPrefix, limit: limit).map {
            RecordKey(kind: String($0.kind.dropFirst(self.namespace.count)), id: $0.id)
        }
    }
}
