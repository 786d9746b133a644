import Foundation
import MFAStore
import MFAStoreTestSupport
import Testing

/// The store contract, on SQLite and PostgreSQL: insert once, read, list by owner, compare-and-swap, delete,
/// and survive reopening (WAL, migrations).
struct RecordStoreTests {
    @Test(arguments: StoreKind.allCases)
    func recordsAreVersionedAndSwappedOnlyFromTheVersionRead(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(kind: "k", id: "1", owner: "m", data: Data("a".utf8))
        let duplicate = await #expect(throws: StoreError.self) {
            try await store.insert(kind: "k", id: "1", owner: "m", data: Data("b".utf8))
        }
        #expect(duplicate?.code == .duplicate && duplicate?.kind == "k" && duplicate?.id == "1")
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

    @Test(arguments: StoreKind.allCases)
    func listsAreByKindAndOwnerInInsertionOrder(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        for (index, owner) in ["ada", "bob", "ada", "ada"].enumerated() {
            try await store.insert(kind: "factor", id: "f\(index)", owner: owner, data: Data([UInt8(index)]))
        }
        try await store.insert(kind: "other", id: "x", owner: "ada", data: Data())
        #expect(try await store.list(kind: "factor", owner: "ada").map(\.id) == ["f0", "f2", "f3"])
        #expect(try await store.list(kind: "factor", owner: "carol").isEmpty)
    }

    @Test func dataSurvivesReopening() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try await temporary.store.insert(ChallengeRecord(challenge: [1, 2, 3], consumed: false), id: "c1", owner: "ada")
        let reopened = try SQLiteRecordStore(path: temporary.store.path)
        #expect(try await reopened.get(ChallengeRecord.self, id: "c1")?.challenge == [1, 2, 3])
        #expect(throws: StoreError.self) { try SQLiteRecordStore(path: "/proc/fidokit/none.sqlite") }
    }

    @Test(arguments: StoreKind.allCases)
    func undecodableRecordsAreReportedNotGuessed(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(kind: ChallengeRecord.recordKind, id: "bad", owner: "ada", data: Data("{".utf8))
        let corrupt = await #expect(throws: StoreError.self) {
            try await store.get(ChallengeRecord.self, id: "bad")
        }
        #expect(corrupt?.code == .corrupt && corrupt?.kind == ChallengeRecord.recordKind && corrupt?.id == "bad")
        let missing = await #expect(throws: StoreError.self) {
            try await store.modify(ChallengeRecord.self, id: "missing") { $0.consumed = true }
        }
        #expect(missing?.code == .notFound && missing?.kind == ChallengeRecord.recordKind && missing?.id == "missing")
    }
}

/// Records stored with an expiry, and their removal once expired.
struct ExpiryTests {
    struct Code: ExpiringRecord {
        static let recordKind = "test-code"
        var expiresAt: Date
    }

    struct Kept: StorableRecord {
        static let recordKind = "test-kept"
        var value: Int
    }

    @Test(arguments: StoreKind.allCases)
    func onlyRecordsExpiredBeforeTheCutOffAreDeleted(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let now = storableNow()
        try await store.insert(Code(expiresAt: now.addingTimeInterval(-120)), id: "old", owner: "ada")
        try await store.insert(Code(expiresAt: now.addingTimeInterval(-10)), id: "recent", owner: "ada")
        try await store.insert(Code(expiresAt: now.addingTimeInterval(300)), id: "live", owner: "ada")
        try await store.insert(Kept(value: 1), id: "forever", owner: "ada")
        #expect(try await store.list(Code.self, owner: "ada").count == 3)

        #expect(try await store.deleteExpired(before: now.addingTimeInterval(-60)) == 1)
        #expect(try await store.get(Code.self, id: "old") == nil)
        #expect(try await store.list(Code.self, owner: "ada").map(\.expiresAt) == [now.addingTimeInterval(-10), now.addingTimeInterval(300)])
        #expect(try await store.deleteExpired(before: now) == 1)
        #expect(try await store.entries(Code.self, owner: "ada").map(\.id) == ["live"])
        // A swap keeps the expiry it was stored with; records without one stay.
        try await store.modify(Code.self, id: "live") { $0.expiresAt = now.addingTimeInterval(9_999) }
        #expect(try await store.deleteExpired(before: now.addingTimeInterval(3_600)) == 1)
        #expect(try await store.get(Code.self, id: "live") == nil)
        #expect(try await store.get(Kept.self, id: "forever")?.value == 1)
    }

    @Test func aLargeBacklogGoesInRounds() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let now = storableNow()
        for index in 0..<2_500 {
            try await temporary.store.insert(Code(expiresAt: now.addingTimeInterval(-1)), id: "c\(index)", owner: "m")
        }
        #expect(try await temporary.store.deleteExpired(before: now) == 2_500)
        #expect(try await temporary.store.list(Code.self, owner: "m").isEmpty)
    }
}

/// Changes that start from a version read earlier: a lost swap is retried on the current value, a
/// refusal is final.
struct KnownVersionTests {
    typealias Kept = ExpiryTests.Kept

    struct Refused: Error {}

    @Test(arguments: StoreKind.allCases)
    func aStaleStartIsReadAgainAndTheChangeAppliesToTheCurrentValue(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(Kept(value: 1), id: "k", owner: "m")
        let stale = try #require(try await store.getVersioned(Kept.self, id: "k"))
        try await store.modify(Kept.self, id: "k") { $0.value = 10 }
        let (seen, written) = try await store.update(Kept.self, id: "k", startingFrom: stale) { kept -> Int in
            kept.value += 1
            return kept.value
        }
        #expect(seen == 11)
        #expect(written.version == 3 && written.record.value == 11)
        #expect(try await store.getVersioned(Kept.self, id: "k")?.version == 3)
        // A current start is used as it is.
        try await store.modify(Kept.self, id: "k", startingFrom: written) { $0.value *= 2 }
        #expect(try await store.get(Kept.self, id: "k")?.value == 22)
    }

    /// A refusal of the current value is decided once: `body` runs exactly once when it throws
    /// on a fresh read or a current version (a failed assertion is not verified twice); one of a
    /// stale start is decided again on the current value (twice in all). Nothing is written.
    @Test(arguments: StoreKind.allCases)
    func aRefusalPropagatesAtOnceAndIsNeverRunAgain(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(Kept(value: 0), id: "k", owner: "m")
        let stale = try #require(try await store.getVersioned(Kept.self, id: "k"))
        try await store.modify(Kept.self, id: "k") { $0.value = 5 }
        let current = try #require(try await store.getVersioned(Kept.self, id: "k"))
        for (start, runs) in [(nil, 1), (current, 1), (stale, 2)] {
            var calls = 0
            await #expect(throws: Refused.self) {
                try await store.modify(Kept.self, id: "k", startingFrom: start) { (_: inout Kept) in
                    calls += 1
                    throw Refused()
                }
            }
            #expect(calls == runs, "start at version \(start.map { String($0.version) } ?? "none")")
            calls = 0
            await #expect(throws: Refused.self) {
                _ = try await store.update(Kept.self, id: "k", startingFrom: start) { (_: inout Kept) in
                    calls += 1
                    throw Refused()
                }
            }
            #expect(calls == runs)
        }
        var calls = 0
        await #expect(throws: Refused.self) {
            try await store.modify(Kept.self, id: "k", insertingIfMissing: Kept(value: 0), owner: "m") { _ in
                calls += 1
                throw Refused()
            }
        }
        #expect(calls == 1)
        #expect(try await store.getVersioned(Kept.self, id: "k")?.version == current.version)
        #expect(try await store.get(Kept.self, id: "k")?.value == 5)
    }

    /// A stale start that `body` accepts loses its compare-and-swap: that conflict, and only it,
    /// runs `body` again, on the current value.
    @Test(arguments: StoreKind.allCases)
    func onlyALostSwapRunsTheChangeAgain(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(Kept(value: 0), id: "k", owner: "m")
        let stale = try #require(try await store.getVersioned(Kept.self, id: "k"))
        try await store.modify(Kept.self, id: "k") { $0.value = 5 }
        var seen: [Int] = []
        try await store.modify(Kept.self, id: "k", startingFrom: stale) { kept in
            seen.append(kept.value)
            kept.value += 1
        }
        #expect(seen == [0, 5])
        #expect(try await store.get(Kept.self, id: "k")?.value == 6)
    }
}
