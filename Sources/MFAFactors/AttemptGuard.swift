public import Foundation
public import MFAPolicy
public import MFAStore
import Synchronization

/// Failed-attempt limits per member and factor kind, kept in the store: at most
/// ``FailureCounter/limit`` consecutive failures (100 by default), then the factor locks until
/// an admin or a recovery code unlocks it. Each attempt reserves its place before it runs, so
/// concurrent guesses cannot slip past the limit; every outcome is an audit event.
///
/// Where the reservations live depends on the store: in the store when several processes may
/// write it (PostgreSQL behind several servers), in this guard's memory when only this process
/// writes it (``RecordStore/isWrittenByThisProcessOnly``, the embedded store behind its cache) —
/// then a success that changes no counter writes nothing but its audit event. Use one guard per
/// store in a process.
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
    private let local: LocalReservations?

    /// Creates the guard; `limit` is capped at 100.
    public init(store: any RecordStore, limit: Int = 100) {
        self.store = store
        self.audit = AuditLog(store: store)
        self.limit = limit
        self.local = store.isWrittenByThisProcessOnly ? LocalReservations() : nil
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
        let reserved = try await self.reserve(memberID: memberID, kind: kind, at: now)
        let outcome: (succeeded: Bool, result: Result)
        do {
            outcome = try await body()
        } catch {
            try await self.settle(memberID: memberID, kind: kind, succeeded: false, at: now, source: source, reserved)
            throw error
        }
        try await self.settle(
            memberID: memberID,
            kind: kind,
            succeeded: outcome.succeeded,
            at: now,
            source: source,
            reserved
        )
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

    /// Reserves a place for an attempt; returns the stored state as the reservation wrote it
    /// (for stores shared by several processes), which settling starts from.
    private func reserve(memberID: String, kind: FactorKind, at now: Date) async throws -> Versioned<State>? {
        let id = Self.id(memberID: memberID, kind: kind)
        guard let local else { return try await self.reserveInStore(id, memberID: memberID, kind: kind, at: now) }
        // The stored counter and the reservations are read as of one moment: a reservation is
        // released only after its outcome is stored, and a release in between means reading again.
        while true {
            let seen = local.generation(id)
            let counter = try await self.store.get(State.self, id: id)?.counter ?? FailureCounter(limit: self.limit)
            try counter.checkAllowed(kind)
            switch local.reserve(id, ifStill: seen, allowed: { counter.consecutiveFailures + $0 < counter.limit }) {
            case .reserved: return nil
            case .changed: continue
            case .refused: throw PolicyError.locked(kind)
            }
        }
    }

    private func settle(
        memberID: String,
        kind: FactorKind,
        succeeded: Bool,
        at now: Date,
        source: String?,
        _ reserved: Versioned<State>?
    ) async throws {
        let id = Self.id(memberID: memberID, kind: kind)
        let events: [AuditEvent]
        if let local {
            defer { local.release(id) }
            // A success that finds no failures to forget changes nothing stored.
            let stored = try await self.store.get(State.self, id: id)
            if succeeded, stored.map({ $0.counter.consecutiveFailures == 0 }) ?? true {
                events = [.succeeded(kind)]
            } else {
                events = try await self.store.modify(
                    State.self,
                    id: id,
                    insertingIfMissing: State(counter: FailureCounter(limit: self.limit), reservations: []),
                    owner: memberID
                ) { state in
                    succeeded ? state.counter.recordSuccess(kind) : state.counter.recordFailure(kind)
                }
            }
        } else {
            events = try await self.settleInStore(id, kind: kind, succeeded: succeeded, at: now, startingFrom: reserved)
        }
        try await self.audit.record(events, memberID: memberID, at: now, source: source)
    }

    private func reserveInStore(_ id: String, memberID: String, kind: FactorKind, at now: Date) async throws
        -> Versioned<State>
    {
        try await self.store.update(
            State.self,
            id: id,
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
        }.written
    }

    private func settleInStore(
        _ id: String,
        kind: FactorKind,
        succeeded: Bool,
        at now: Date,
        startingFrom reserved: Versioned<State>?
    ) async throws -> [AuditEvent] {
        try await self.store.modify(State.self, id: id, startingFrom: reserved) { state -> [AuditEvent] in
            // Stores keep times to the millisecond: `now` comes back rounded.
            if let index = state.reservations.firstIndex(where: { abs($0.timeIntervalSince(now)) < 0.001 }) {
                state.reservations.remove(at: index)
            } else if !state.reservations.isEmpty {
                state.reservations.removeFirst()
            }
            return succeeded ? state.counter.recordSuccess(kind) : state.counter.recordFailure(kind)
        }
    }
}

/// Attempts under way per member and factor, in this process's memory, for stores only this
/// process writes. Each key keeps a generation bumped at every release (entries stay, one small
/// entry per member and factor ever attempted), so a reservation can be refused when the stored
/// counter it was checked against may have changed since it was read.
final class LocalReservations: Sendable {
    private struct Entry {
        var underWay = 0
        var generation = 0
    }

    private let entries = Mutex<[String: Entry]>([:])

    func generation(_ key: String) -> Int {
        self.entries.withLock { $0[key]?.generation ?? 0 }
    }

    /// What ``reserve(_:ifStill:allowed:)`` did.
    enum Reservation {
        case reserved
        /// A release happened since the caller's reading: read again.
        case changed
        /// `allowed` said no to the attempts under way.
        case refused
    }

    /// Reserves a place when no release happened since `generation` and `allowed` says yes to
    /// the number of attempts under way.
    func reserve(_ key: String, ifStill generation: Int, allowed: (Int) -> Bool) -> Reservation {
        self.entries.withLock { entries in
            let entry = entries[key] ?? Entry()
            guard entry.generation == generation else { return .changed }
            guard allowed(entry.underWay) else { return .refused }
            entries[key, default: Entry()].underWay += 1
            return .reserved
        }
    }

    func release(_ key: String) {
        self.entries.withLock { entries in
            entries[key, default: Entry()].underWay -= 1
            entries[key, default: Entry()].generation += 1
        }
    }
}
