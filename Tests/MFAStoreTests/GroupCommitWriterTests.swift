import Foundation
import MFAStore
import MFAStoreTestSupport
import Testing

/// The embedded store's group commit: writes arriving together share a transaction, yet each
/// one succeeds or fails on its own and is durable when it returns.
struct GroupCommitWriterTests {
    @Test func aFailingWriteFailsAloneInItsSharedTransaction() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        // 200 concurrent inserts over 100 ids: in any batch, one of a pair is a duplicate.
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = "r\(index / 2)"
                    do {
                        try await store.insert(kind: "k", id: id, owner: "m", data: Data("\(index)".utf8))
                        return (id, true)
                    } catch let error as StoreError {
                        guard error.code == .duplicate else { return ("unexpected \(error)", false) }
                        return (id, false)
                    } catch {
                        return ("unexpected \(error)", false)
                    }
                }
            }
            var outcomes: [(String, Bool)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let winners = outcomes.filter { $0.1 }.map { $0.0 }
        #expect(winners.count == 100)
        #expect(!outcomes.contains { $0.0.hasPrefix("unexpected") })
        // Every id won exactly once, and a fresh reader finds them all.
        #expect(Set(winners).count == 100)
        let reopened = try SQLiteRecordStore(path: store.path)
        #expect(try await reopened.list(kind: "k", owner: "m").count == 100)
        #expect(try await reopened.integrityCheck() == ["ok"])
    }

    @Test func concurrentSwapsOfOneVersionHaveOneWinnerAcrossBatches() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        try await store.insert(kind: "k", id: "one", owner: "m", data: Data("0".utf8))
        let wins = await race(48) {
            (try? await store.compareAndSwap(kind: "k", id: "one", expectedVersion: 1, data: Data("won".utf8))) ?? false
        }
        #expect(wins == 1)
        #expect(try await store.get(kind: "k", id: "one")?.version == 2)
    }
}
