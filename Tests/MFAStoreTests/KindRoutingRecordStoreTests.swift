import Foundation
import MFAStore
import MFAStoreTestSupport
import Testing

/// Records of the named kinds live in the routed store only, every other record in the base, and
/// the typed layer's kept records follow the same split.
struct KindRoutingRecordStoreTests {
    @Test func theNamedKindsNeverReachTheBase() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let memory = MemoryRecordStore()
        let store = KindRoutingRecordStore(routing: ["challenge"], to: memory, base: temporary.store)
        try await store.insert(kind: "challenge", id: "1", owner: "m", data: Data("c".utf8), expiresAt: nil)
        try await store.insert(kind: "factor", id: "1", owner: "m", data: Data("f".utf8), expiresAt: nil)
        #expect(try await store.compareAndSwap(kind: "challenge", id: "1", expectedVersion: 1, data: Data("d".utf8)))
        #expect(try await store.get(kind: "challenge", id: "1")?.data == Data("d".utf8))
        #expect(try await memory.get(kind: "challenge", id: "1")?.version == 2)
        #expect(try await temporary.store.get(kind: "challenge", id: "1") == nil)
        #expect(try await temporary.store.get(kind: "factor", id: "1")?.data == Data("f".utf8))
        #expect(try await memory.get(kind: "factor", id: "1") == nil)
        #expect(try await store.list(kind: "challenge", owner: "m").map(\.data) == [Data("d".utf8)])
        #expect(try await store.list(kind: "factor", owner: "m").map(\.data) == [Data("f".utf8)])
        // A record of the base is changed in the base, at its own versions.
        #expect(try await store.compareAndSwap(kind: "factor", id: "1", expectedVersion: 1, data: Data("g".utf8)))
        #expect(try await temporary.store.get(kind: "factor", id: "1")?.version == 2)
        #expect(try await store.delete(kind: "challenge", id: "1", expectedVersion: 2))
        #expect(memory.count == 0)
        #expect(try await store.delete(kind: "factor", id: "1", expectedVersion: 2))
        #expect(try await temporary.store.get(kind: "factor", id: "1") == nil)
    }

    @Test func aDuplicateIsJudgedByTheStoreOfItsKind() async throws {
        let base = MemoryRecordStore()
        let store = KindRoutingRecordStore(routing: ["challenge"], base: base)
        // The same key in the base does not make the routed kind's insert a duplicate.
        try await base.insert(kind: "challenge", id: "1", owner: "m", data: Data())
        try await store.insert(kind: "challenge", id: "1", owner: "m", data: Data())
        let duplicate = await #expect(throws: StoreError.self) {
            try await store.insert(kind: "challenge", id: "1", owner: "m", data: Data())
        }
        #expect(duplicate?.code == .duplicate)
    }

    @Test func expiredRecordsGoFromBothStoresWithinOneLimit() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let memory = MemoryRecordStore(grace: 86_400)
        let store = KindRoutingRecordStore(routing: ["challenge"], to: memory, base: temporary.store)
        let past = storableNow().addingTimeInterval(-60)
        for index in 0..<3 {
            try await store.insert(kind: "challenge", id: "c\(index)", owner: "m", data: Data(), expiresAt: past)
            try await store.insert(kind: "code", id: "k\(index)", owner: "m", data: Data(), expiresAt: past)
        }
        try await store.insert(kind: "code", id: "live", owner: "m", data: Data(), expiresAt: nil)
        let first = try await store.deleteExpired(before: storableNow(), kindPrefix: "", limit: 4)
        #expect(first.count == 4)
        #expect(first.filter { $0.kind == "challenge" }.count == 3)
        #expect(memory.count == 0)
        #expect(try await store.deleteExpired(before: storableNow()) == 2)
        #expect(try await temporary.store.list(kind: "code", owner: "m").map(\.id) == ["live"])
    }

    @Test func keptRecordsAreAskedOfTheStoreOfTheirKind() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let memory = MemoryRecordStore()
        let cache = CachingRecordStore(base: temporary.store)
        let store: any RecordStore = KindRoutingRecordStore(routing: [Counted.recordKind], to: memory, base: cache)
        let tag = UUID().uuidString
        try await store.insert(Counted(tag: tag, value: 1), id: "a", owner: "m")
        #expect(memory.decodedRecord(Counted.self, id: "a")?.record.value == 1)
        #expect(cache.decodedRecord(Counted.self, id: "a") == nil)
        try await store.modify(Counted.self, id: "a") { $0.value = 2 }
        #expect(try await store.get(Counted.self, id: "a")?.value == 2)
        #expect(Counted.decodeCount(tag) == 0)
        // The base's kinds are kept by the base's cache.
        try await store.insert(ExpiryTests.Kept(value: 5), id: "k", owner: "m")
        #expect(cache.decodedRecord(ExpiryTests.Kept.self, id: "k")?.record.value == 5)
        #expect(memory.decodedRecord(ExpiryTests.Kept.self, id: "k") == nil)
    }

    @Test func onlyThisProcessWritesItWhenOnlyThisProcessWritesBoth() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let memory = MemoryRecordStore()
        #expect(KindRoutingRecordStore(routing: ["c"], to: memory, base: CachingRecordStore(base: temporary.store)).isWrittenByThisProcessOnly)
        #expect(!KindRoutingRecordStore(routing: ["c"], to: memory, base: temporary.store).isWrittenByThisProcessOnly)
        #expect(!KindRoutingRecordStore(routing: ["c"], to: temporary.store, base: memory).isWrittenByThisProcessOnly)
    }
}
