import Foundation
import Logging
import MFAServer
import MFAStore
import MFAStoreTestSupport
import Testing

/// The server's sweeper removes sessions (and other expiring records) only once they have been
/// expired for its grace period.
struct RecordSweeperTests {
    @Test(arguments: StoreKind.allCases)
    func expiredSessionsGoAfterTheGracePeriodAndLiveOnesStay(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let sessions = SessionStore(store: store)
        let now = storableNow()
        // Pending sessions live 15 minutes: one expired an hour ago, one five minutes ago, one live.
        let (old, _) = try await sessions.create(state: .mfaRequired, memberID: "ada", at: now.addingTimeInterval(-75 * 60))
        let (recent, _) = try await sessions.create(state: .mfaRequired, memberID: "ada", at: now.addingTimeInterval(-20 * 60))
        let (live, _) = try await sessions.create(state: .signedIn, memberID: "ada", at: now)
        let sweeper = RecordSweeper(store: store, grace: 600, logger: Logger(label: "test"))
        #expect(try await sweeper.sweep(at: now) == 1)
        // Asked as of a moment when each was still good: only the swept one is gone.
        #expect(try await sessions.find(token: old, at: now.addingTimeInterval(-74 * 60)) == nil)
        #expect(try await sessions.find(token: recent, at: now.addingTimeInterval(-19 * 60)) != nil)
        #expect(try await sessions.find(token: recent, at: now) == nil)
        #expect(try await sessions.find(token: live, at: now) != nil)
    }
}
