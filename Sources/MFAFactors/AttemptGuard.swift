public import Foundation
public import MFAPolicy
public import MFAStore

/// Failed-attempt limits per member and factor kind, kept in the store: at most
/// ``FailureCounter/limit`` consecutive failures (100 by default), then the factor locks until
/// an admin or a recovery code unlocks it. Each attempt reserves its place before it runs, so
/// concurrent guesses cannot slip past the limit; every outcome is an audit event.
public struct AttemptGuard: Sendable {
    /// The stored state: the counter, and the attempts under way (reserved, not yet settled).
    public struct State: StorableRecord, Sendable {
        public static let recordKind = "failure-counter"
        public var counter: FailureCounter
        /// When each attempt under way began; an attempt that never settles (a crash) stops
        /// counting after ``AttemptGuard/reservationLifetime``.
        public var reservations: [Date]
    }

    /// How long an unsettled attempt holds its place.
    public static let reservationLifetime: TimeInterval = 300

    public let store: any RecordStore
    public let audit: AuditLog
    public let limit: Int

    /// Creates the guard; `limit` is capped at 100.
    public init(store: any RecordStore, limit: Int = 100) {
        self.store = store
        self.audit = AuditLog(store: store)
        self.limit = limit
    }

    static func id(memberID: String, kind: FactorKind) -> String { "\(memberID)|\(kind.rawValue)" }

    /// Runs one attempt at `kind` for `memberID`: refused while the factor is locked or while
    /// failures plus attempts under way reach the limit; `body` says whether the attempt
    /// succeeded (a throw counts as a failure and is rethrown). Records the outcome and its audit
    /// events.
    ///
    /// - Throws: ``PolicyError/locked(_:)``, or what `body` throws.
    public func attempt<Result: Sendable>(
        memberID: String,
        kind: FactorKind,
        at now: Date = Date(),
        source: String? = nil,
        _ body: () async throws -> (succeeded: Bool, result: Result)
    ) async throws -> Result {
        try await self.reserve(memberID: memberID, kind: kind, at: now)
        let outcome: (succeeded: Bool, result: Result)
        do {
            outcome = try await body()
        } catch {
            try await self.settle(memberID: memberID, kind: kind, succeeded: false, at: now, source: source)
            throw error
        }
        try await self.settle(memberID: memberID, kind: kind, succeeded: outcome.succeeded, at: now, source: source)
        return outcome.result
    }

    /// Whether `kind` is locked for `memberID`.
    public func isLocked(memberID: String, kind: FactorKind) async throws -> Bool {
        try await self.store.get(State.self, id: Self.id(memberID: memberID, kind: kind))?.counter.isLocked ?? false
    }

    /// Lifts the lock on `kind` (an admin), or on every kind (`kind` nil: a recovery code).
    public func unlock(
        memberID: String,
        kind: FactorKind? = nil,
        by unlocker: AuditEvent.Unlocker,
        at now: Date = Date(),
        source: String? = nil
    ) async throws {
        let kinds = kind.map { [$0] } ?? FactorKind.allCases
        for kind in kinds {
            let id = Self.id(memberID: memberID, kind: kind)
            guard try await self.store.get(State.self, id: id) != nil else { continue }
            let events = try await self.store.modify(State.self, id: id) { state in
                state.counter.unlock(kind, by: unlocker)
            }
            try await self.audit.record(events, memberID: memberID, at: now, source: source)
        }
    }

    private func reserve(memberID: String, kind: FactorKind, at now: Date) async throws {
        try await self.store.modify(
            State.self,
            id: Self.id(memberID: memberID, kind: kind),
            insertingIfMissing: State(counter: FailureCounter(limit: self.limit), reservations: []),
            owner: memberID
        ) { state in
            try state.counter.checkAllowed(kind)
            state.reservations.removeAll {
                now.timeIntervalSince($0) > Self.reservationLifetime
                    || $0 > now.addingTimeInterval(Self.reservationLifetime)
            }
            guard state.counter.consecutiveFailures + state.reservations.count < state.counter.limit else {
                throw PolicyError.locked(kind)
            }
            state.reservations.append(now)
        }
    }

    private func settle(memberID: String, kind: FactorKind, succeeded: Bool, at now: Date, source: String?) async throws
    {
        let events = try await self.store.modify(State.self, id: Self.id(memberID: memberID, kind: kind)) {
            state -> [AuditEvent] in
            if let index = state.reservations.firstIndex(of: now) {
                state.reservations.remove(at: index)
            } else if !state.reservations.isEmpty {
                state.reservations.removeFirst()
            }
            return succeeded ? state.counter.recordSuccess(kind) : state.counter.recordFailure(kind)
        }
        try await self.audit.record(events, memberID: memberID, at: now, source: source)
    }
}
