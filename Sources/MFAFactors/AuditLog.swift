public import Foundation
public import MFAPolicy
public import MFAStore

/// The persisted audit trail of members' factors: every enrollment, removal, success, failure,
/// lock and unlock, with when it happened and where the request came from.
public struct AuditLog: Sendable {
    /// One stored audit event.
    public struct Entry: StorableRecord, Sendable, Hashable {
        public static let recordKind = "audit-event"
        public var memberID: String
        public var event: AuditEvent
        public var at: Date
        /// The client address or actor, when known (`203.0.113.9`, `admin:grace`).
        public var source: String?
    }

    public let store: any RecordStore

    /// Creates the log over `store`.
    public init(store: any RecordStore) {
        self.store = store
    }

    /// Appends `events` for `memberID`; each is its own record, so nothing overwrites another.
    public func record(_ events: [AuditEvent], memberID: String, at now: Date = Date(), source: String? = nil)
        async throws
    {
        for event in events {
            try await self.store.insert(
                Entry(memberID: memberID, event: event, at: now, source: source),
                id: UUID().uuidString,
                owner: memberID
            )
        }
    }

    /// The member's events, oldest first.
    public func entries(for memberID: String) async throws -> [Entry] {
        try await self.store.list(Entry.self, owner: memberID)
    }
}
