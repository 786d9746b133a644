public import Foundation
import Synchronization

/// Failed attempts per key (an account, a client address) in a sliding window, kept in memory:
/// once `limit` failures fall inside `window`, further attempts are refused until the oldest
/// leaves it. A first line against guessing; the per-factor lock in the store is the second.
public final class RateLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    /// Creates a limiter.
    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Whether `key` may try now.
    ///
    /// - Throws: ``APIError`` `too_many_attempts` with the seconds to wait.
    public func check(_ key: String, at now: Date = Date()) throws(APIError) {
        let recent = self.failures.withLock { failures -> [Date] in
            let kept = (failures[key] ?? []).filter { now.timeIntervalSince($0) < self.window }
            failures[key] = kept.isEmpty ? nil : kept
            return kept
        }
        guard recent.count >= self.limit, let oldest = recent.first else { return }
        var error = APIError.tooManyAttempts
        error.retryAfter = max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up)))
        throw error
    }

    /// Records a failure of `key`.
    public func recordFailure(_ key: String, at now: Date = Date()) {
        self.failures.withLock { failures in
            failures[key, default: []].append(now)
            if failures.count > 100_000 {
                // Forget keys whose failures have all aged out.
                failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < self.window } }
            }
        }
    }

    /// Forgets `key`'s failures (after a success).
    public func reset(_ key: String) {
        _ = self.failures.withLock { $0.removeValue(forKey: key) }
    }
}
