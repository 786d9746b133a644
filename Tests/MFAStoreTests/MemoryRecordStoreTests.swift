import Foundation
import MFAStore
import Synchronization
import Testing

/// What only the in-memory store does: its memory stays bounded. (The contract every store
/// keeps runs on it through `StoreKind.memory`.)
struct MemoryRecordStoreTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { self.current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { self.current.withLock { $0 += seconds } }
    }

    @Test func recordsExpiredLongerThanTheGraceGoOnTheNextInsert() async throws {
        let clock = Clock()
        let store = MemoryRecordStore(grace: 60, now: { clock.now })
        try await store.insert(kind: "c", id: "old", owner: "m", data: Data(), expiresAt: clock.now.addingTimeInterval(10))
        try await store.insert(kind: "c", id: "kept", owner: "m", data: Data(), expiresAt: nil)
        try await store.insert(kind: "c", id: "new", owner: "m", data: Data(), expiresAt: clock.now.addingTimeInterval(300))
        // Expired, but within the grace: still there, so a late answer hears "expired".
        clock.advance(60)
        try await store.insert(kind: "c", id: "a", owner: "m", data: Data(), expiresAt: clock.now.addingTimeInterval(300))
        #expect(try await store.get(kind: "c", id: "old") != nil)
        clock.advance(11)
        try await store.insert(kind: "c", id: "b", owner: "m", data: Data(), expiresAt: clock.now.addingTimeInterval(300))
        #expect(try await store.get(kind: "c", id: "old") == nil)
        // Pruning stops at the first record that is not expired: the rest stay.
        #expect(try await store.list(kind: "c", owner: "m").map(\.id) == ["kept", "new", "a", "b"])
        #expect(store.count == 4)
    }

    @Test func theOldestGoWhenTheCapacityIsReached() async throws {
        let store = MemoryRecordStore(capacity: 100)
        for index in 0..<250 {
            try await store.insert(kind: "c", id: "\(index)", owner: "m", data: Data(), expiresAt: nil)
            #expect(store.count <= 100)
        }
        #expect(store.count == 100)
        #expect(try await store.get(kind: "c", id: "149") == nil)
        #expect(try await store.get(kind: "c", id: "150") != nil)
        #expect(try await store.get(kind: "c", id: "249") != nil)
    }

    @Test func aRecordDeletedAndInsertedAgainIsNotPrunedByItsFormerPlace() async throws {
        let store = MemoryRecordStore(capacity: 3)
        try await store.insert(kind: "c", id: "x", owner: "m", data: Data(), expiresAt: nil)
        try await store.insert(kind: "c", id: "y", owner: "m", data: Data(), expiresAt: nil)
        #expect(try await store.delete(kind: "c", id: "x", expectedVersion: 1))
        try await store.insert(kind: "c", id: "x", owner: "m", data: Data(), expiresAt: nil)
        try await store.insert(kind: "c", id: "z", owner: "m", data: Data(), expiresAt: nil)
        try await store.insert(kind: "c", id: "w", owner: "m", data: Data(), expiresAt: nil)
        // y is now the oldest; x was inserted again after it.
        #expect(try await store.list(kind: "c", owner: "m").map(\.id) == ["x", "z", "w"])
    }
}
