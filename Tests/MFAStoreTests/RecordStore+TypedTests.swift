import Foundation
import MFAStore
import Synchronization
import Testing

/// A record that counts how often it is decoded, per tag, so tests running at the same time
/// never see each other's decodes.
struct Counted: StorableRecord {
    static let recordKind = "test-counted"
    static let decodes = Mutex<[String: Int]>([:])

    var tag: String
    var value: Int

    init(tag: String, value: Int) {
        self.tag = tag
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.tag = try container.decode(String.self, forKey: .tag)
        self.value = try container.decode(Int.self, forKey: .value)
        Self.decodes.withLock { $0[self.tag, default: 0] += 1 }
    }

    /// How often records of `tag` were decoded.
    static func decodeCount(_ tag: String) -> Int { Self.decodes.withLock { $0[tag] ?? 0 } }
}

/// A store with only the six operations every store has: it keeps no decoded records, so it
/// runs on the protocol's defaults.
struct PlainStore: RecordStore {
    let base = MemoryRecordStore()

    func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        try await self.base.insert(kind: kind, id: id, owner: owner, data: data, expiresAt: expiresAt)
    }

    func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        try await self.base.get(kind: kind, id: id)
    }

    func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.base.list(kind: kind, owner: owner)
    }

    func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool {
        try await self.base.compareAndSwap(kind: kind, id: id, expectedVersion: expectedVersion, data: data)
    }

    func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        try await self.base.delete(kind: kind, id: id, expectedVersion: expectedVersion)
    }

    func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError) -> [RecordKey] {
        try await self.base.deleteExpired(before: date, kindPrefix: kindPrefix, limit: limit)
    }
}

/// A store of its own kind (neither the cache nor the memory store) that keeps what the typed
/// layer offers it and says which ids a list holds, and records what it was offered.
final class KeepingStore: RecordStore {
    let base = PlainStore()
    let offers = Mutex<[(id: String, version: Int)]>([])
    let kept = Mutex<[String: (record: any Sendable, version: Int)]>([:])
    let ids = Mutex<[String]?>(nil)

    func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        try await self.base.insert(kind: kind, id: id, owner: owner, data: data, expiresAt: expiresAt)
    }

    func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        try await self.base.get(kind: kind, id: id)
    }

    func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.base.list(kind: kind, owner: owner)
    }

    func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool {
        try await self.base.compareAndSwap(kind: kind, id: id, expectedVersion: expectedVersion, data: data)
    }

    func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        try await self.base.delete(kind: kind, id: id, expectedVersion: expectedVersion)
    }

    func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError) -> [RecordKey] {
        try await self.base.deleteExpired(before: date, kindPrefix: kindPrefix, limit: limit)
    }

    func decodedRecord<Record: StorableRecord>(_ type: Record.Type, id: String) -> Versioned<Record>? {
        self.kept.withLock { kept in
            guard let entry = kept[id], let record = entry.record as? Record else { return nil }
            return Versioned(record: record, version: entry.version)
        }
    }

    func keepDecoded<Record: StorableRecord>(_ record: Record, id: String, version: Int, data: Data) {
        self.offers.withLock { $0.append((id, version)) }
        self.kept.withLock { $0[id] = (record, version) }
    }

    func listedIDs(kind: String, owner: String) -> [String]? {
        self.ids.withLock { $0 }
    }
}

/// The typed layer on any store: it asks the store for kept decoded records through the
/// protocol, and a store that keeps none (the defaults) still reads, lists and changes correctly.
struct TypedRecordStoreTests {
    @Test func aStoreWithoutKeptRecordsDecodesEachReadAndStaysCorrect() async throws {
        let store = PlainStore()
        let tag = UUID().uuidString
        try await store.insert(Counted(tag: tag, value: 1), id: "a", owner: "m")
        #expect(store.decodedRecord(Counted.self, id: "a") == nil)
        #expect(store.listedIDs(kind: Counted.recordKind, owner: "m") == nil)
        #expect(try await store.get(Counted.self, id: "a")?.value == 1)
        #expect(try await store.get(Counted.self, id: "a")?.value == 1)
        #expect(Counted.decodeCount(tag) == 2)

        try await store.modify(Counted.self, id: "a") { $0.value = 2 }
        #expect(try await store.getVersioned(Counted.self, id: "a").map { [$0.record.value, $0.version] } == [2, 2])
        let (seen, written) = try await store.update(
            Counted.self,
            id: "b",
            insertingIfMissing: Counted(tag: tag, value: 10),
            owner: "m"
        ) { counted -> Int in
            counted.value += 1
            return counted.value
        }
        #expect(seen == 11 && written.version == 2)
        #expect(try await store.entries(Counted.self, owner: "m").map(\.id) == ["a", "b"])
        #expect(try await store.list(Counted.self, owner: "m").map(\.value) == [2, 11])
        #expect(try await store.delete(Counted.self, id: "a") { $0.value == 2 })
        #expect(try await store.get(Counted.self, id: "a") == nil)
        #expect(try await store.list(Counted.self, owner: "m").map(\.value) == [11])
    }

    @Test func anyStoreThatKeepsDecodedRecordsIsOfferedThemAndAnswersFromThem() async throws {
        let keeping = KeepingStore()
        let store: any RecordStore = keeping
        let tag = UUID().uuidString
        try await store.insert(Counted(tag: tag, value: 1), id: "a", owner: "m")
        try await store.modify(Counted.self, id: "a") { $0.value = 2 }
        #expect(keeping.offers.withLock { $0.map(\.version) } == [1, 2])
        #expect(try await store.getVersioned(Counted.self, id: "a").map { [$0.record.value, $0.version] } == [2, 2])
        // Every read came from what the store kept: nothing was decoded.
        #expect(Counted.decodeCount(tag) == 0)

        // Ids the store knows are read one by one (from what it keeps), not listed.
        try await store.insert(Counted(tag: tag, value: 3), id: "b", owner: "m")
        keeping.ids.withLock { $0 = ["b"] }
        #expect(try await store.entries(Counted.self, owner: "m").map(\.id) == ["b"])
        keeping.ids.withLock { $0 = nil }
        #expect(try await store.entries(Counted.self, owner: "m").map(\.id) == ["a", "b"])
        #expect(Counted.decodeCount(tag) == 2)
    }
}
