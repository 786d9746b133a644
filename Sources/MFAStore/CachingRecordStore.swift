public import Foundation
import Synchronization

/// A process-local cache in front of a store that only this process writes (the embedded SQLite
/// store): records read by id come from memory, decoded once. The store stays the truth: every
/// write goes to it first, and the cache keeps a value only when no other write of the same
/// record finished while that value was being read or written — each record has a write
/// generation, bumped after every write, that a reader or writer checks before remembering.
/// Records known to be missing are remembered too. Lists keep only which ids a member's records
/// of a kind are (inserts and deletes change that, with the same generations per kind and
/// owner); the records themselves come from the entries. Not for stores shared by several
/// processes (PostgreSQL behind several servers): their writes would not be seen.
///
/// The typed layer's decoded values are kept with the entries (``decodedRecord(_:id:)``). To keep
/// some kinds out of the store altogether, put a ``KindRoutingRecordStore`` in front.
public final class CachingRecordStore: RecordStore {
    struct Entry {
        /// `nil`: the store has no such record.
        var record: StoredRecord?
        var decoded: (any Sendable)?
    }

    /// The ids of one owner's records of one kind, oldest first.
    struct ListEntry {
        var ids: [String]
        /// The kind's generation when read (a delete whose owner is unknown bumps it).
        var kindGeneration: Int
    }

    struct State {
        var entries: [String: Entry] = [:]
        /// Writes finished per key since the cache last started from empty.
        var generations: [String: Int] = [:]
        var lists: [String: ListEntry] = [:]
        /// Inserts and deletes finished per kind and owner.
        var listGenerations: [String: Int] = [:]
        /// Deletes of records whose owner the cache did not know, per kind.
        var kindGenerations: [String: Int] = [:]
        /// Bumped when the cache starts from empty, so nothing read before is kept after.
        var epoch = 0

        mutating func startAgain() {
            self.entries.removeAll(keepingCapacity: true)
            self.generations.removeAll(keepingCapacity: true)
            self.lists.removeAll(keepingCapacity: true)
            self.listGenerations.removeAll(keepingCapacity: true)
            self.kindGenerations.removeAll(keepingCapacity: true)
            self.epoch += 1
        }
    }

    /// A point in a list's history.
    struct ListMark: Equatable {
        var epoch: Int
        var generation: Int
        var kindGeneration: Int
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

    static func listKey(_ kind: String, _ owner: String) -> String { kind + "\u{1E}" + owner }

    func mark(_ key: String) -> Mark {
        self.state.withLock { Mark(epoch: $0.epoch, generation: $0.generations[key] ?? 0) }
    }

    /// Keeps `record` if no write of it finished since `mark`.
    func remember(_ record: StoredRecord, since mark: Mark, decoded: (any Sendable)? = nil) {
        self.remember(Self.key(record.kind, record.id), record, since: mark, decoded: decoded)
    }

    /// Keeps what the store had at `key` (`nil`: nothing) if no write of it finished since `mark`.
    func remember(_ key: String, _ record: StoredRecord?, since mark: Mark, decoded: (any Sendable)? = nil) {
        self.state.withLock { state in
            guard state.epoch == mark.epoch, (state.generations[key] ?? 0) == mark.generation else { return }
            if state.entries.count + state.lists.count >= self.capacity {
                state.startAgain()
                return
            }
            state.entries[key] = Entry(record: record, decoded: decoded)
        }
    }

    func listMark(_ kind: String, _ owner: String) -> ListMark {
        self.state.withLock {
            ListMark(
                epoch: $0.epoch,
                generation: $0.listGenerations[Self.listKey(kind, owner)] ?? 0,
                kindGeneration: $0.kindGenerations[kind] ?? 0
            )
        }
    }

    /// The cached ids of `owner`'s records of `kind`, when the cache has them.
    public func listedIDs(kind: String, owner: String) -> [String]? {
        self.state.withLock { state in
            guard let list = state.lists[Self.listKey(kind, owner)],
                list.kindGeneration == (state.kindGenerations[kind] ?? 0)
            else { return nil }
            return list.ids
        }
    }

    /// Keeps a list's ids if no insert or delete of the kind and owner finished since `mark`.
    func rememberList(kind: String, owner: String, ids: [String], since mark: ListMark) {
        self.state.withLock { state in
            let key = Self.listKey(kind, owner)
            guard state.epoch == mark.epoch, (state.listGenerations[key] ?? 0) == mark.generation,
                (state.kindGenerations[kind] ?? 0) == mark.kindGeneration
            else { return }
            if state.entries.count + state.lists.count >= self.capacity {
                state.startAgain()
                return
            }
            state.lists[key] = ListEntry(ids: ids, kindGeneration: mark.kindGeneration)
        }
    }

    /// Records that an insert or delete changed the kind's lists: the owner's, or (owner unknown)
    /// every owner's.
    func listChanged(kind: String, owner: String?) {
        self.state.withLock { state in
            if let owner {
                let key = Self.listKey(kind, owner)
                state.lists.removeValue(forKey: key)
                state.listGenerations[key, default: 0] += 1
            } else {
                state.kindGenerations[kind, default: 0] += 1
            }
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
    public func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>? {
        self.state.withLock { state in
            guard let entry = state.entries[Self.key(Record.recordKind, id)], let record = entry.record,
                let value = entry.decoded as? Record
            else {
                return nil
            }
            return Versioned(record: value, version: record.version)
        }
    }

    /// Keeps the decoded value of a record read or written as `data` at `version` (when the
    /// cache still has that version with that data).
    public func keepDecoded<Record: StorableRecord>(_ value: Record, id: String, version: Int, data: Data) {
        self.state.withLock { state in
            let key = Self.key(Record.recordKind, id)
            guard let record = state.entries[key]?.record, record.version == version, record.data == data else {
                return
            }
            state.entries[key]?.decoded = value
        }
    }

    /// `true`: the cache is only correct when nobody else writes the store.
    public var isWrittenByThisProcessOnly: Bool { true }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        let before = self.mark(Self.key(kind, id))
        defer { self.listChanged(kind: kind, owner: owner) }
        do {
            try await self.base.insert(kind: kind, id: id, owner: owner, data: data, expiresAt: expiresAt)
        } catch {
            _ = self.wrote(Self.key(kind, id))
            throw error
        }
        self.rememberWritten(StoredRecord(kind: kind, id: id, owner: owner, data: data, version: 1), before: before)
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        let key = Self.key(kind, id)
        if let hit = self.state.withLock({ $0.entries[key] }) { return hit.record }
        let before = self.mark(key)
        let record = try await self.base.get(kind: kind, id: id)
        self.remember(key, record, since: before)
        return record
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        if let ids = self.listedIDs(kind: kind, owner: owner) {
            var records: [StoredRecord] = []
            for id in ids {
                if let record = try await self.get(kind: kind, id: id) { records.append(record) }
            }
            return records
        }
        let before = self.listMark(kind, owner)
        let records = try await self.base.list(kind: kind, owner: owner)
        self.rememberList(kind: kind, owner: owner, ids: records.map(\.id), since: before)
        return records
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        let key = Self.key(kind, id)
        let owner = self.state.withLock { $0.entries[key]?.record?.owner }
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
        let owner = self.state.withLock { $0.entries[Self.key(kind, id)]?.record?.owner }
        defer {
            _ = self.wrote(Self.key(kind, id))
            self.listChanged(kind: kind, owner: owner)
        }
        return try await self.base.delete(kind: kind, id: id, expectedVersion: expectedVersion)
    }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError)
        -> [RecordKey]
    {
        let deleted = try await self.base.deleteExpired(before: date, kindPrefix: kindPrefix, limit: limit)
        for key in deleted { _ = self.wrote(Self.key(key.kind, key.id)) }
        for kind in Set(deleted.map(\.kind)) { self.listChanged(kind: kind, owner: nil) }
        return deleted
    }
}
