import Foundation
import MFAStore
import Testing

/// The SQLite store's contract: insert once, read, list by owner, compare-and-swap, delete,
/// and survive reopening (WAL, migrations).
struct SQLiteRecordStoreTests {
    @Test func recordsAreVersionedAndSwappedOnlyFromTheVersionRead() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        try await store.insert(kind: "k", id: "1", owner: "m", data: Data("a".utf8))
        await #expect(throws: StoreError.duplicate(kind: "k", id: "1")) {
            try await store.insert(kind: "k", id: "1", owner: "m", data: Data("b".utf8))
        }
        let first = try #require(try await store.get(kind: "k", id: "1"))
        #expect(first.version == 1 && first.data == Data("a".utf8))
        #expect(try await store.compareAndSwap(kind: "k", id: "1", expectedVersion: 1, data: Data("b".utf8)))
        #expect(!(try await store.compareAndSwap(kind: "k", id: "1", expectedVersion: 1, data: Data("c".utf8))))
        #expect(try await store.get(kind: "k", id: "1")?.data == Data("b".utf8))
        #expect(!(try await store.delete(kind: "k", id: "1", expectedVersion: 1)))
        #expect(try await store.delete(kind: "k", id: "1", expectedVersion: 2))
        #expect(try await store.get(kind: "k", id: "1") == nil)
        #expect(!(try await store.compareAndSwap(kind: "k", id: "1", expectedVersion: 2, data: Data())))
    }

    @Test func listsAreByKindAndOwnerInInsertionOrder() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        for (index, owner) in ["ada", "bob", "ada", "ada"].enumerated() {
            try await temporary.store.insert(kind: "factor", id: "f\(index)", owner: owner, data: Data([UInt8(index)]))
        }
        try await temporary.store.insert(kind: "other", id: "x", owner: "ada", data: Data())
        #expect(try await temporary.store.list(kind: "factor", owner: "ada").map(\.id) == ["f0", "f2", "f3"])
        #expect(try await temporary.store.list(kind: "factor", owner: "carol").isEmpty)
    }

    @Test func dataSurvivesReopening() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try await temporary.store.insert(ChallengeRecord(challenge: [1, 2, 3], consumed: false), id: "c1", owner: "ada")
        let reopened = try SQLiteRecordStore(path: temporary.store.path)
        #expect(try await reopened.get(ChallengeRecord.self, id: "c1")?.challenge == [1, 2, 3])
        #expect(throws: StoreError.self) { try SQLiteRecordStore(path: "/proc/fidokit/none.sqlite") }
    }

    @Test func undecodableRecordsAreReportedNotGuessed() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try await temporary.store.insert(kind: ChallengeRecord.recordKind, id: "bad", owner: "ada", data: Data("{".utf8))
        await #expect(throws: StoreError.corrupt(kind: ChallengeRecord.recordKind, id: "bad")) {
            try await temporary.store.get(ChallengeRecord.self, id: "bad")
        }
        await #expect(throws: StoreError.notFound(kind: ChallengeRecord.recordKind, id: "missing")) {
            try await temporary.store.modify(ChallengeRecord.self, id: "missing") { $0.consumed = true }
        }
    }
}
