import Foundation
import MFAStore
import MFAStoreTestSupport
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
}
