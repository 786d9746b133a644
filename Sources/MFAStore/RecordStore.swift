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
    /// Adds a record at version 1.
    ///
    /// - Throws: ``StoreError/duplicate(kind:id:)``.
    func insert(kind: String, id: String, owner: String, data: Data) async throws(StoreError)

    /// The record, or `nil`.
    func get(kind: String, id: String) async throws(StoreError) -> StoredRecord?

    /// The records of `kind` owned by `owner`, oldest first.
    func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord]

    /// Replaces the record's data if it is still at `expectedVersion`; returns whether it was.
    func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool

    /// Deletes the record if it is still at `expectedVersion`; returns whether it was.
    func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool

    /// Whether only this process writes the store (so bookkeeping of work under way may stay in
    /// this process's memory). `false` unless a store promises it.
    var isWrittenByThisProcessOnly: Bool { get }
}

extension RecordStore {
    public var isWrittenByThisProcessOnly: Bool { false }
}
