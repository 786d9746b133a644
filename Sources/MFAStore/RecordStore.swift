public import Foundation

/// A stored record: a JSON document of one kind, owned by a member or tenant, with a version
/// that every write increments.
public struct StoredRecord: Sendable, Hashable {
    public var kind: String
    public var id: String
    public var owner: String
    public var data: Data
    public var version: Int

    /// Creates a record value.
    public init(kind: String, id: String, owner: String, data: Data, version: Int) {
        self.kind = kind
        self.id = id
        self.owner = owner
        self.data = data
        self.version = version
    }
}

/// Why a store operation failed.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A record with this kind and id exists already.
    case duplicate(kind: String, id: String)
    /// No record with this kind and id.
    case notFound(kind: String, id: String)
    /// The record kept changing under concurrent writers; the operation gave up.
    case contention(kind: String, id: String)
    /// The database failed (I/O, corruption, connection).
    case database(String)
    /// A record's JSON did not decode as the expected type.
    case corrupt(kind: String, id: String)

    public var description: String {
        switch self {
        case .duplicate(let kind, let id): return "A \(kind) with id \(id) exists already."
        case .notFound(let kind, let id): return "There is no \(kind) with id \(id)."
        case .contention(let kind, let id): return "The \(kind) \(id) kept changing; try again."
        case .database(let reason): return "The database failed: \(reason)."
        case .corrupt(let kind, let id): return "The stored \(kind) \(id) does not decode."
        }
    }
}

/// The storage both the embedded SQLite store and PostgreSQL implement: versioned JSON records
/// with an atomic compare-and-swap, which is what makes one-time things one-time. A write based
/// on a stale read fails instead of overwriting, so of many concurrent attempts to consume the
/// same code exactly one succeeds.
public protocol RecordStore: Sendable {
    /// Adds a record at version 1; one with `expiresAt` may be deleted by
    /// ``deleteExpired(before:kindPrefix:limit:)`` once that time has passed.
    ///
    /// - Throws: ``StoreError/duplicate(kind:id:)``.
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
}

extension RecordStore {
    public var isWrittenByThisProcessOnly: Bool { false }

    /// Adds a record at version 1 that never expires.
    ///
    /// - Throws: ``StoreError/duplicate(kind:id:)``.
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

/// A record's kind and id.
public struct RecordKey: Sendable, Hashable {
    public var kind: String
    public var id: String

    /// Creates a key.
    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }
}
