public import Foundation
import Synchronization

/// Records kept in this process's memory only: for records that are worth nothing after a
/// restart, such as a ceremony's challenge, which lives for minutes and whose loss only makes
/// someone start the ceremony again. Writing them to disk would cost a durable commit each
/// (twice per sign-in: issued, then consumed) for nothing anyone needs after a crash.
///
/// It keeps the ``RecordStore`` contract — versions, compare-and-swap, expiry — so what is
/// consumed once stays consumed once. Memory stays bounded: each insert first drops, oldest
/// first, records that expired more than `grace` ago, and the oldest records when there are
/// `capacity` of them. Lists and ``deleteExpired(before:kindPrefix:limit:)`` scan every record;
/// they are not for hot paths. A ``KindRoutingRecordStore`` sends chosen kinds here.
public final class MemoryRecordStore: RecordStore {
    struct Item {
        var record: StoredRecord
        var expiresAt: Date?
        /// Insertion order: lists are oldest first, and pruning goes oldest first.
        var sequence: Int
        /// The record decoded, when a typed read or write left it here.
        var decoded: (any Sendable)?
    }

    struct State {
        var items: [String: Item] = [:]
        /// Keys in insertion order with the sequence they were inserted at (an entry whose
        /// record was deleted or inserted again is skipped), from `head` on.
        var order: [(key: String, sequence: Int)] = []
        var head = 0
        var nextSequence = 0

        /// Drops, oldest first, records over `capacity` and records expired before `cutOff`,
        /// stopping at the first record that is neither.
        mutating func prune(capacity: Int, cutOff: Date) {
            while self.head < self.order.count {
                let (key, sequence) = self.order[self.head]
                if let item = self.items[key], item.sequence == sequence {
                    let expired = item.expiresAt.map { $0 < cutOff } ?? false
                    guard self.items.count > capacity || expired else { break }
                    self.items.removeValue(forKey: key)
                }
                self.head += 1
            }
            if self.head > 1_024, self.head * 2 > self.order.count {
                self.order.removeFirst(self.head)
                self.head = 0
            }
        }
    }

    /// Records kept before the oldest go, whatever their expiry.
    public let capacity: Int
    /// How long after its expiry a record may still be found (and answer "expired").
    public let grace: TimeInterval
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    /// An empty store. `now` is the clock pruning reads.
    public init(
        capacity: Int = 1_000_000,
        grace: TimeInterval = 60,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.capacity = capacity
        self.grace = grace
        self.now = now
    }

    static func key(_ kind: String, _ id: String) -> String { kind + "\u{1F}" + id }

    /// `true`: nobody else can see these records.
    public var isWrittenByThisProcessOnly: Bool { true }

    /// How many records are held.
    public var count: Int { self.state.withLock { $0.items.count } }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        let key = Self.key(kind, id)
        let cutOff = self.now().addingTimeInterval(-self.grace)
        let inserted = self.state.withLock { state in
            // Room first, so the capacity holds after the insert.
            state.prune(capacity: self.capacity - 1, cutOff: cutOff)
            guard state.items[key] == nil else { return false }
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.items[key] = Item(
                record: StoredRecord(kind: kind, id: id, owner: owner, data: data, version: 1),
                expiresAt: expiresAt,
                sequence: sequence
            )
            state.order.append((key, sequence))
            return true
        }
        guard inserted else { throw .duplicate(kind: kind, id: id) }
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        self.state.withLock { $0.items[Self.key(kind, id)]?.record }
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        self.state.withLock { state in
            state.items.values.filter { $0.record.kind == kind && $0.record.owner == owner }
                .sorted { $0.sequence < $1.sequence }
                .map(\.record)
        }
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        self.state.withLock { state in
            let key = Self.key(kind, id)
            guard var item = state.items[key], item.record.version == expectedVersion else { return false }
            item.record.data = data
            item.record.version += 1
            item.decoded = nil
            state.items[key] = item
            return true
        }
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        self.state.withLock { state in
            let key = Self.key(kind, id)
            guard state.items[key]?.record.version == expectedVersion else { return false }
            state.items.removeValue(forKey: key)
            return true
        }
    }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError)
        -> [RecordKey]
    {
        self.state.withLock { state in
            // Keys first, removals after: removing while iterating would copy every record.
            var keys: [String] = []
            for (key, item) in state.items where keys.count < limit {
                if let expiresAt = item.expiresAt, expiresAt < date, item.record.kind.hasPrefix(kindPrefix) {
                    keys.append(key)
                }
            }
            return keys.compactMap { key in
                state.items.removeValue(forKey: key).map { RecordKey(kind: $0.record.kind, id: $0.record.id) }
            }
        }
    }

    /// The decoded value kept with a record, when there is one.
    public func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>? {
        self.state.withLock { state in
            guard let item = state.items[Self.key(Record.recordKind, id)], let value = item.decoded as? Record else {
                return nil
            }
            return Versioned(record: value, version: item.record.version)
        }
    }

    /// Keeps the decoded value of a record read or written as `data` at `version` (when it is
    /// still at that version with that data).
    public func keepDecoded<Record: StorableRecord>(_ value: Record, id: String, version: Int, data: Data) {
        self.state.withLock { state in
            let key = Self.key(Record.recordKind, id)
            guard let item = state.items[key], item.record.version == version, item.record.data == data else { return }
            state.items[key]?.decoded = value
        }
    }
}
