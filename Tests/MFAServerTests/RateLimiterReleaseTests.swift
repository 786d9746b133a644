import Foundation
import MFAServer
import MFAStore
import MFAStoreTestSupport
import Testing

/// A reserved attempt that succeeds is taken back: however many successes, with many at once,
/// the limit never fills from them (the load generator saw 429s after 50 successful ceremonies).
struct RateLimiterReleaseTests {
    @Test(arguments: StoreKind.allCases)
    func successesNeverFillTheLimit(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let limiter = RateLimiter(limit: 5, window: 300).bound(to: store, scope: "test")
        for _ in 0..<20 {
            let reservation = try await limiter.reserve("198.51.100.1")
            try await limiter.release(reservation)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<10 {
                        let reservation = try await limiter.reserve("198.51.100.1")
                        try await limiter.release(reservation)
                    }
                }
            }
            try await group.waitForAll()
        }
        try await limiter.check("198.51.100.1")
    }
}
