public import Foundation

/// Sends the records of some kinds to one store and every other record to another. The embedded
/// server keeps ceremonies' challenges in a ``MemoryRecordStore`` this way: they never reach the
/// database and are gone after a restart, while factors and sessions go to the durable store
/// (behind its ``CachingRecordStore``).
///
/// A record's kind alone decides where it goes, so each record lives in exactly one of the two
/// stores and keeps that store's contract (versions, compare-and-swap, expiry). Only
/// ``deleteExpired(before:kindPrefix:limit:)`` asks both: the routed store first, then the base
/// with what is left of the limit.
public struct KindRoutingRecordStore: RecordStore {
    /// The kinds kept in ``routed``.
    public let kinds: Set<String>
    /// Where the records of ``kinds`` live.
    public let routed: any RecordStore
    /// Where every other record lives.
    public let base: any RecordStore

    /// Sends the records of `kinds` to `routed` (by default a fresh ``MemoryRecordStore``) and
    /// all others to `base`.
    public init(routing kinds: Set<String>, to routed: any RecordStore = MemoryRecordStore(), base: any RecordStore) {
        self.kinds = kinds
        self.routed = routed
        self.base = base
    }

    /// The store that holds records of `kind`.
    public func store(for kind: String) -> any RecordStore {
        self.kinds.contains(kind) ? self.routed : self.base
    }

    /// Whether only this process writes both stores.
    public var isWrittenByThisProcessOnly: Bool {
        self.routed.isWrittenByThisProcessOnly && self.base.isWrittenByThisProcessOnly
    }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        try await self.store(for: kind).insert(kind: kind, id: id, owner: owner, data: data, expiresAt: expiresAt)
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        try await self.store(for: kind).get(kind: kind, id: id)
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.store(for: kind).list(kind: kind, owner: owner)
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        try await self.store(for: kind).compareAndSwap(kind: kind, id: id, expectedVersion: expectedVersion, data: data)
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        try await self.store(for: kind).delete(kind: kind, id: id, expectedVersion: expectedVersion)
    }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError)
        -> [RecordKey]
    {
        let fromRouted = try await self.routed.deleteExpired(before: date, kindPrefix: kindPrefix, limit: limit)
        let fromBase = try await self.base.deleteExpired(
            before: date,
            kindPrefix: kindPrefix,
            limit: limit - fromRouted.count
        )
        return fromRouted + fromBase
    }

    /// What the store of `Record`'s kind keeps.
    public func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>? {
        self.store(for: Record.recordKind).decodedRecord(type, id: id)
    }

    /// Offers `record` to the store of its kind.
    public func keepDecoded<Record: StorableRecord>(_ record: Record, id: String, version: Int, data: Data) {
        self.store(for: Record.recordKind).keepDecoded(record, id: id, version: version, data: data)
    }

    /// What the store of `kind` knows.
    public func listedIDs(kind: String, owner: String) -> [String]? {
        self.store(for: kind).listedIDs(kind: kind, owner: owner)
    }
}
