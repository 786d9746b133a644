import Crypto
public import Foundation
public import MFAStore

/// Failed attempts per key (an account, a client address) in a sliding window, kept in the
/// store — so a restart forgets nothing and every server sharing a PostgreSQL store counts the
/// same attempts: once `limit` failures fall inside `window`, further attempts are refused until
/// the oldest leaves it. A first line against guessing; the per-factor lock is the second.
///
/// Each key's failures live in buckets one window long (`rate-limit` records that expire with
/// their window, so the sweeper removes them); the failures of the last window are those of the
/// current bucket and the one before. An attempt is counted before it runs
/// (``reserve(_:at:)``): the reservation is a compare-and-swap on the current bucket that
/// refuses once the limit is reached, so parallel requests cannot get past it; a success takes
/// its reservation back (``release(_:)``) or forgets the key (``reset(_:at:)``).
public struct RateLimiter: Sendable {
    /// One key's failures in one window-long bucket.
    struct Bucket: ExpiringRecord, Sendable {
        static let recordKind = "rate-limit"
        var failures: [Date]
        var expiresAt: Date
    }

    /// A counted attempt, to take back after a success.
    public struct Reservation: Sendable, Hashable {
        let id: String
        let time: Date
    }

    public let limit: Int
    public let window: TimeInterval
    /// What the keys count (`sign-in-account`, `sign-in-address`, `mfa-address`).
    public let scope: String
    let store: (any RecordStore)?

    /// A limit not yet bound to a store (``Dashboard`` binds it to its own).
    public init(limit: Int, window: TimeInterval) {
        self.init(limit: limit, window: window, scope: "", store: nil)
    }

    /// A limiter counting in `store`.
    public init(limit: Int, window: TimeInterval, scope: String, store: (any RecordStore)?) {
        self.limit = max(1, limit)
        self.window = max(1, window)
        self.scope = scope
        self.store = store
    }

    /// The same limit counting `scope` in `store`.
    public func bound(to store: any RecordStore, scope: String) -> RateLimiter {
        RateLimiter(limit: self.limit, window: self.window, scope: scope, store: store)
    }

    /// Whether `key` may try now (nothing is counted).
    ///
    /// - Throws: ``APIError`` `too_many_attempts` with the seconds to wait.
    public func check(_ key: String, at now: Date = Date()) async throws {
        let (current, previous) = self.bucketIDs(key, at: now)
        var recent = try await self.recent(previous, at: now)
        recent += try await self.recent(current, at: now)
        try self.refuseIfFull(recent, at: now)
    }

    /// Counts an attempt of `key` now, or refuses it when the limit is reached.
    ///
    /// - Throws: ``APIError`` `too_many_attempts` with the seconds to wait.
    public func reserve(_ key: String, at now: Date = Date()) async throws -> Reservation {
        guard let store else { return Reservation(id: "", time: now) }
        let (current, previous) = self.bucketIDs(key, at: now)
        let earlier = try await self.recent(previous, at: now)
        let window = self.window
        let expiry = self.bucketExpiry(at: now)
        try await store.modify(
            Bucket.self,
            id: current,
            insertingIfMissing: Bucket(failures: [], expiresAt: expiry),
            owner: self.scope
        ) { bucket in
            bucket.failures.removeAll { !Self.isRecent($0, at: now, window: window) }
            try self.refuseIfFull(earlier + bucket.failures, at: now)
            bucket.failures.append(now)
        }
        return Reservation(id: current, time: now)
    }

    /// Counts a failure of `key` (even past the limit).
    public func recordFailure(_ key: String, at now: Date = Date()) async throws {
        guard let store else { return }
        let (current, _) = self.bucketIDs(key, at: now)
        try await store.modify(
            Bucket.self,
            id: current,
            insertingIfMissing: Bucket(failures: [], expiresAt: self.bucketExpiry(at: now)),
            owner: self.scope
        ) { bucket in
            bucket.failures.append(now)
        }
    }

    /// Takes back a reserved attempt (it succeeded).
    public func release(_ reservation: Reservation) async throws {
        guard let store, !reservation.id.isEmpty else { return }
        do {
            try await store.modify(Bucket.self, id: reservation.id) { bucket in
                // Stores keep times to the millisecond: the reservation's time comes back rounded.
                if let index = bucket.failures.firstIndex(where: { abs($0.timeIntervalSince(reservation.time)) < 0.001 }
                ) {
                    bucket.failures.remove(at: index)
                }
            }
        } catch StoreError.Code.notFound {
            // Swept already: nothing to take back.
        }
    }

    /// Forgets `key`'s failures (after a success).
    public func reset(_ key: String, at now: Date = Date()) async throws {
        guard let store else { return }
        let (current, previous) = self.bucketIDs(key, at: now)
        for id in [previous, current] {
            _ = try await store.delete(Bucket.self, id: id) { _ in true }
        }
    }

    /// The failures of a bucket that still count at `now`.
    private func recent(_ id: String, at now: Date) async throws -> [Date] {
        guard let store, let bucket = try await store.get(Bucket.self, id: id) else { return [] }
        return bucket.failures.filter { Self.isRecent($0, at: now, window: self.window) }
    }

    private func refuseIfFull(_ recent: [Date], at now: Date) throws(APIError) {
        guard recent.count >= self.limit, let oldest = recent.min() else { return }
        var error = APIError.tooManyAttempts
        error.retryAfter = max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up)))
        throw error
    }

    private static func isRecent(_ time: Date, at now: Date, window: TimeInterval) -> Bool {
        let age = now.timeIntervalSince(time)
        return age < window && age > -window
    }

    private func bucketNumber(at now: Date) -> Int {
        Int((now.timeIntervalSince1970 / self.window).rounded(.down))
    }

    /// When the current bucket stops mattering: a window after its end.
    private func bucketExpiry(at now: Date) -> Date {
        Date(timeIntervalSince1970: Double(self.bucketNumber(at: now) + 2) * self.window)
    }

    /// The store ids of `key`'s current and previous buckets: the SHA-256 of scope and key (so
    /// ids stay short and plain whatever the key), and the bucket's number.
    func bucketIDs(_ key: String, at now: Date) -> (current: String, previous: String) {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in SHA256.hash(data: Data((self.scope + "\n" + key).utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        let base = String(decoding: hex, as: UTF8.self)
        let number = self.bucketNumber(at: now)
        return ("\(base)|\(number)", "\(base)|\(number - 1)")
    }
}
