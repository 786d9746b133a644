public import Foundation
public import Logging
public import MFAStore
public import ServiceLifecycle

/// Deletes expired challenges, codes, push tickets and transactions, SMS numbers and
/// authenticator apps that never got their first code back, rate-limit buckets whose window has passed, and sessions from the
/// store, every `interval`, once they have been expired for `grace` (so that for a while a late
/// answer still hears "expired" rather than "unknown"). Runs as a service next to the server and
/// stops on graceful shutdown; a failed round is logged and tried again next time.
public struct RecordSweeper: Service {
    public let store: any RecordStore
    public let interval: Duration
    public let grace: TimeInterval
    let logger: Logger

    /// Creates the sweeper.
    public init(store: any RecordStore, interval: Duration = .seconds(60), grace: TimeInterval = 600, logger: Logger) {
        self.store = store
        self.interval = interval
        self.grace = grace
        self.logger = logger
    }

    /// One round: deletes what expired before `now - grace`; returns how many records went.
    public func sweep(at now: Date = Date()) async throws(StoreError) -> Int {
        try await self.store.deleteExpired(before: now.addingTimeInterval(-self.grace))
    }

    public func run() async throws {
        // Graceful shutdown cancels the loop, which then returns normally.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await self.sweep()
                    if deleted > 0 { self.logger.debug("deleted \(deleted) expired records") }
                } catch {
                    self.logger.warning("sweeping expired records failed: \(error)")
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
