import Foundation
import MFAStore
import MFAStoreTestSupport
import Synchronization
import Testing

/// The process-local cache never answers with a value the store has since replaced.
struct CachingRecordStoreTests {
    struct Counter: StorableRecord {
        static let recordKind = "test-counter"
        var value: Int
    }

    @Test func racingWritersAndReadersEndOnTheStoresValue() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let cache = CachingRecordStore(base: temporary.store)
        try await cache.insert(Counter(value: 0), id: "c", owner: "t")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 { _ = try? await cache.modify(Counter.self, id: "c", attempts: 10_000) { $0.value += 1 } }
                }
                group.addTask {
                    for _ in 0..<50 { _ = try? await cache.get(Counter.self, id: "c") }
                }
            }
        }
        #expect(try await temporary.store.get(Counter.self, id: "c")?.value == 800)
        #expect(try await cache.get(Counter.self, id: "c")?.value == 800)
        let stored = try #require(try await temporary.store.get(kind: Counter.recordKind, id: "c"))
        #expect(try await cache.get(kind: Counter.recordKind, id: "c")?.version == stored.version)
    }

    @Test func deletedRecordsAreGoneAndTheCapacityIsBounded() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let cache = CachingRecordStore(base: temporary.store)
        try await cache.insert(Counter(value: 1), id: "c", owner: "t")
        #expect(try await cache.get(Counter.self, id: "c")?.value == 1)
        #expect(try await cache.delete(Counter.self, id: "c") { _ in true })
        #expect(try await cache.get(Counter.self, id: "c") == nil)
        // A smaller capacity starts again from empty rather than growing.
        let small = CachingRecordStore(base: temporary.store, capacity: 2)
        for index in 0..<5 { try await small.insert(Counter(value: index), id: "k\(index)", owner: "t") }
        for index in 0..<5 { #expect(try await small.get(Counter.self, id: "k\(index)")?.value == index) }
    }

    /// A record that counts how often it is decoded.
    struct Decoded: StorableRecord {
        static let recordKind = "test-decoded"
        static let decodes = Mutex(0)
        var value: Int

        init(value: Int) { self.value = value }

        init(from decoder: any Decoder) throws {
            self.value = try decoder.singleValueContainer().decode(Int.self)
            Self.decodes.withLock { $0 += 1 }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.value)
        }
    }

    @Test func whatWasJustWrittenIsReadWithoutDecoding() async throws {
        // One after the other: the decode count is shared.
        try await self.readWithoutDecoding(memoryOnly: false)
        try await self.readWithoutDecoding(memoryOnly: true)
    }

    func readWithoutDecoding(memoryOnly: Bool) async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let cache: any RecordStore =
            memoryOnly
            ? KindRoutingRecordStore(routing: [Decoded.recordKind], base: CachingRecordStore(base: temporary.store))
            : CachingRecordStore(base: temporary.store)
        let id = UUID().uuidString
        let before = Decoded.decodes.withLock { $0 }
        try await cache.insert(Decoded(value: 1), id: id, owner: "t")
        #expect(try await cache.get(Decoded.self, id: id)?.value == 1)
        try await cache.modify(Decoded.self, id: id) { $0.value = 2 }
        #expect(try await cache.get(Decoded.self, id: id)?.value == 2)
        // A write of bytes (no value to keep) leaves the next read to decode them.
        #expect(try await cache.compareAndSwap(kind: Decoded.recordKind, id: id, expectedVersion: 2, data: Data("7".utf8)))
        #expect(Decoded.decodes.withLock { $0 } == before)
        #expect(try await cache.get(Decoded.self, id: id)?.value == 7)
        #expect(Decoded.decodes.withLock { $0 } >= before + 1)
    }
}

/// Lists and missing records as the cache remembers them.
struct CachingRecordStoreListTests {
    typealias Item = CachingRecordStoreTests.Counter

    @Test func listsFollowInsertsAndDeletesAndMissingRecordsAppearWhenInserted() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let cache = CachingRecordStore(base: temporary.store)
        #expect(try await cache.get(Item.self, id: "a") == nil)
        try await cache.insert(Item(value: 1), id: "a", owner: "ada")
        #expect(try await cache.get(Item.self, id: "a")?.value == 1)

        #expect(try await cache.list(Item.self, owner: "ada").map(\.value) == [1])
        try await cache.insert(Item(value: 2), id: "b", owner: "ada")
        try await cache.insert(Item(value: 9), id: "z", owner: "bob")
        #expect(try await cache.list(Item.self, owner: "ada").map(\.value) == [1, 2])
        // A swap shows in the list without changing who is in it.
        try await cache.modify(Item.self, id: "b") { $0.value = 3 }
        #expect(try await cache.list(Item.self, owner: "ada").map(\.value) == [1, 3])
        #expect(try await cache.delete(Item.self, id: "a") { _ in true })
        #expect(try await cache.entries(Item.self, owner: "ada").map(\.id) == ["b"])
        #expect(try await cache.list(Item.self, owner: "bob").map(\.value) == [9])
    }

    @Test func aRecordDeletedAfterTheCacheForgotItsOwnerLeavesTheList() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        // A small capacity makes the cache start again from empty, forgetting the record's owner.
        let cache = CachingRecordStore(base: temporary.store, capacity: 3)
        try await cache.insert(Item(value: 1), id: "a", owner: "ada")
        try await cache.insert(Item(value: 2), id: "b", owner: "ada")
        #expect(try await cache.list(Item.self, owner: "ada").count == 2)
        let version = try #require(try await temporary.store.get(kind: Item.recordKind, id: "a")?.version)
        try await cache.insert(Item(value: 3), id: "c", owner: "bob")
        try await cache.insert(Item(value: 4), id: "d", owner: "bob")
        #expect(try await cache.list(Item.self, owner: "ada").count == 2)
        #expect(try await cache.delete(kind: Item.recordKind, id: "a", expectedVersion: version))
        #expect(try await cache.list(Item.self, owner: "ada").map(\.value) == [2])
    }
}
