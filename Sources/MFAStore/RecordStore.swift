public import Foundation

/// The storage both the embedded SQLite store and PostgreSQL implement: versioned JSON records
/// with an atomic compare-and-swap, which is what makes one-time things one-time. A write based
/// on a stale read fails instead of overwriting, so of many concurrent attempts to consume the
/// same code exactly one succeeds.
public protocol RecordStore: Sendable {
    /// Adds a record at version 1; one with `expiresAt` may be deleted by
    /// ``deleteExpired(before:kindPrefix:limit:)`` once that time has passed.
    ///
    /// - Throws: ``StoreError/Code/duplicate``.
    func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError)

    /// The record, or `nil`.
    func get(kind: String, id: String) async throws(StoreError) -> StoredRecord?

    /// The records of `kind` owned by `owner`, oldest first.
    func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord]

    /// Replaces the record's data if it is still at `expectedVersion`; returns whether it was.
    func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool

    /// Deletes the record if it is still at `expectedVersion`; returns whether it was.
    func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool

    /// Deletes up to `limit` records whose kind starts with `kindPrefix` and that expired before
    /// `date`; returns which.
    func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError) -> [RecordKey]

    /// Whether only this process writes the store (so bookkeeping of work under way may stay in
    /// this process's memory). `false` unless a store promises it.
    var isWrittenByThisProcessOnly: Bool { get }

    // Decoded records: what lets the typed layer (``RecordStore/getVersioned(_:id:)`` and the
    // rest) skip decoding a record it has just read or written. A store that keeps none (the
    // default) answers `nil` and ignores what it is offered; one that keeps records in memory
    // (``CachingRecordStore``, ``MemoryRecordStore``) or sends them on (``KindRoutingRecordStore``)
    // implements them.

    /// The decoded value of the record, at the version this store holds, when the store keeps
    /// one; `nil` otherwise (then the typed layer reads and decodes the record).
    func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>?

    /// Offers `record`, just read or written as `data` at `version`; a store that keeps decoded
    /// records keeps it while it still holds that version with that data.
    func keepDecoded<Record: StorableRecord>(_ record: Record, id: String, version: Int, data: Data)

    /// The ids of `owner`'s records of `kind`, oldest first, when the store knows them without a
    /// query; `nil` otherwise (then the typed layer lists and decodes).
    func listedIDs(kind: String, owner: String) -> [String]?
}

extension RecordStore {
    public var isWrittenByThisProcessOnly: Bool { false }

    /// `nil`: the store keeps no decoded records.
    public func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>? { nil }

    /// Ignores the offer: the store keeps no decoded records.
    public func keepDecoded<Record: StorableRecord>(_ record: Record, id: String, version: Int, data: Data) {}

    /// `nil`: the store answers lists by querying.
    public func listedIDs(kind: String, owner: String) -> [String]? { nil }

    /// Adds a record at version 1 that never expires.
    ///
    /// - Throws: ``StoreError/Code/duplicate``.
    public func insert(kind: String, id: String, owner: String, data: Data) async throws(StoreError) {
        try await self.insert(kind: kind, id: id, owner: owner, data: data, expiresAt: nil)
    }

    /// Deletes every record that expired before `date`, in rounds of 1,000; returns how many.
    public func deleteExpired(before date: Date) async throws(StoreError) -> Int {
        var total = 0
        while true {
            let deleted = try await self.deleteExpired(before: date, kindPrefix: "", limit: 1_000)
            total += deleted.count
            if deleted.count < 1_000 { return total }
        }
    }
}
