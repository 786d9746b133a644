import Foundation
import MFAStore
import Testing

/// What only the PostgreSQL store does: its URL, and a pool smaller than the work.
struct PostgresRecordStoreTests {
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["FIDOKIT_POSTGRES_URL"] else {
            throw StoreError.database("FIDOKIT_POSTGRES_URL is not set: run scripts/test.sh, which starts PostgreSQL")
        }
        return url
    }

    @Test(arguments: [
        "http://fidokit@127.0.0.1/fidokit", "postgres://127.0.0.1/fidokit", "postgres://fidokit@127.0.0.1",
        "postgres://fidokit@127.0.0.1/fidokit?sslmode=require", "postgres://fidokit@127.0.0.1/fidokit?max_connections=0",
        "postgres://fidokit@127.0.0.1/fidokit?max_connections=many",
    ])
    func badURLsAreRefusedBeforeConnecting(_ url: String) async {
        await #expect {
            _ = try await PostgresRecordStore(url: url)
        } throws: { error in
            guard let error = error as? StoreError, error.code == .database else { return false }
            return error.message.contains(url) || error.message.contains("sslmode")
                || error.message.contains("max_connections")
        }
    }

    @Test func manyQueriesShareAPoolOfTwoConnections() async throws {
        let base = try Self.url()
        let store = try await PostgresRecordStore(url: base + (base.contains("?") ? "&" : "?") + "max_connections=2")
        defer { store.shutdown() }
        let kind = "pool-\(UUID().uuidString)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await store.insert(kind: kind, id: "\(index)", owner: "o", data: Data([UInt8(index)]))
                    #expect(try await store.get(kind: kind, id: "\(index)")?.data == Data([UInt8(index)]))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.list(kind: kind, owner: "o").count == 40)
        #expect(try await store.deleteExpired(before: .distantFuture, kindPrefix: kind, limit: 100).isEmpty)
        for index in 0..<40 { #expect(try await store.delete(kind: kind, id: "\(index)", expectedVersion: 1)) }
    }
}
