public import Foundation
import Synchronization

/// A process-local cache in front of a store that only this process writes (the embedded SQLite
/// store): records read by id come from memory, decoded once. The store stays the truth: every
/// write goes to it first, and the cache keeps a value only when no other write of the same
/// record finished while that value was being read or written — each record has a write
/// generation, bumped after every write, that a reader or writer checks before remembering.
/// Lists always go to the store. Not for stores shared by several processes (PostgreSQL behind
/// several servers): their writes would not be seen.
public final class CachingRecordStore: RecordStore {
    struct Entry {
        var record: StoredRecord
        var decoded: (any Sendable)?
    }

    struct State {
        var entries: [String: Entry] = [:]
        /// Writes finished per key since the cache last started from empty.
        var generations: [String: Int] = [:]
        /// Bumped when the cache starts from empty, so nothing read before is kept after.
        var epoch = 0
    }

    /// A point in a key's write history.
    struct Mark: Equatable {
        var epoch: Int
        var generation: Int
    }

    /// The store behind the cache.
    public let base: any RecordStore
    /// Entries kept before the cache starts again from empty.
    public let capacity: Int
    private let state = Mutex(State())

    /// Wraps `base`.
    public init(base: any RecordStore, capacity: Int = 100_000) {
        self.base = base
        self.capacity = capacity
    }

    static func key(_ kind: String, _ id: String) -> String { kind + "\u{1F}" + id }

    func mark(_ key: String) -> Mark {
        self.state.withLock { Mark(epoch: $0.epoch, generation: $0.generations[key] ?? 0) }
    }

    /// Keeps `record` if no write of it finished since `mark`.
    func remember(_ record: StoredRecord, since mark: Mark, decoded: (any Sendable)? = nil) {
        let key = Self.key(record.kind, record.id)
        self.state.withLock { state in
            guard state.epoch == mark.epoch, (state.generations[key] ?? 0) == mark.generation else { return }
            if state.entries.count >= self.capacity {
                state.entries.removeAll(keepingCapacity: true)
                state.generations.removeAll(keepingCapacity: true)
                state.epoch += 1
                return
            }
            state.entries[key] = Entry(record: record, decoded: decoded)
        }
    }

    /// Records that a write of `key` finished: drops its entry and returns the mark a writer
    /// compares with the one it took before writing.
    func wrote(_ key: String) -> Mark {
        self.state.withLock { state in
            state.entries.removeValue(forKey: key)
            let next = (state.generations[key] ?? 0) + 1
            state.generations[key] = next
            return Mark(epoch: state.epoch, generation: next)
        }
    }

    /// After a write of `record` that began at `before`: keeps it when this write was the only
    /// one to finish in between.
    func rememberWritten(_ record: StoredRecord, before: Mark, decoded: (any Sendable)? = nil) {
        let after = self.wrote(Self.key(record.kind, record.id))
        guard after == Mark(epoch: before.epoch, generation: before.generation + 1) else { return }
        self.remember(record, since: after, decoded: decoded)
    }

    /// The cached decoded value of a record, when there is one.
    func decoded<Record: StorableRecord>(_ type: Record.Type, id: String) -> (Record, version: Int)? {
        self.state.withLock { state in
            guard let entry = state.entries[Self.key(Record.recordKind, id)], let value = entry.decoded as? Record
            else {
                return nil
            }
            return (value, entry.record.version)
        }
    }

    /// Keeps the decoded value of a record read at `version` (when the cache still has that version).
    func attach<Record: StorableRecord>(_ value: Record, id: String, version: Int) {
        self.state.withLock { state in
            let key = Self.key(Record.recordKind, id)
            if state.entries[key]?.record.version == version { state.entries[key]?.decoded = value }
        }
    }

    public func insert(kind: String, id: String, owner: String, data: Data) async throws(StoreError) {
        let before = self.mark(Self.key(kind, id))
        do {
            try await self.base.insert(kind: kind, id: id, owner: owner, data: data)
        } catch {
            _ = self.wrote(Self.key(kind, id))
            throw error
        }
        self.rememberWritten(StoredRecord(kind: kind, id: id, owner: owner, data: data, version: 1), before: before)
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        let key = Self.key(kind, id)
        if let hit = self.state.withLock({ $0.entries[key]?.record }) { return hit }
        let before = self.mark(key)
        guard let record = try await self.base.get(kind: kind, id: id) else { return nil }
        self.remember(record, since: before)
        return record
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.base.list(kind: kind, owner: owner)
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        let key = Self.key(kind, id)
        let owner = self.state.withLock { $0.entries[key]?.record.owner }
        let before = self.mark(key)
        let swapped: Bool
        do {
            swapped = try await self.base.compareAndSwap(
                kind: kind,
                id: id,
                expectedVersion: expectedVersion,
                data: data
            )
        } catch {
            _ = self.wrote(key)
            throw error
        }
        guard swapped, let owner else {
            _ = self.wrote(key)
            return swapped
        }
        self.rememberWritten(
            StoredRecord(kind: kind, id: id, owner: owner, data: data, version: expectedVersion + 1),
            before: before
        )
        return true
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        defer { _ = self.wrote(Self.key(kind, id)) }
        return try await self.base.delete(kind: kind, id: id, expectedVersion: expectedVersion)
    }
}
