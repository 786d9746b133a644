import Foundation
import MFAFactors
import MFAPolicy
import MFAStore
import MFAStoreTestSupport
import Testing

/// Failed-attempt limits and the audit trail, on both stores.
struct AttemptGuardTests {
    @Test(arguments: StoreKind.allCases)
    func aHundredFailuresLockUntilUnlocked(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let guarding = AttemptGuard(store: store)
        for _ in 0..<100 {
            let value = try await guarding.attempt(memberID: "ada", kind: .otp, source: "203.0.113.9") { (false, 0) }
            #expect(value == 0)
        }
        #expect(try await guarding.isLocked(memberID: "ada", kind: .otp))
        // Locked: the attempt does not even run; other factors and members are unaffected.
        await #expect(throws: PolicyError.locked(.otp)) {
            try await guarding.attempt(memberID: "ada", kind: .otp) { () -> (succeeded: Bool, result: Int) in
                Issue.record("a locked factor ran an attempt")
                return (true, 1)
            }
        }
        #expect(try await guarding.attempt(memberID: "ada", kind: .sms) { (true, 1) } == 1)
        #expect(try await guarding.attempt(memberID: "bob", kind: .otp) { (true, 1) } == 1)

        try await guarding.unlock(memberID: "ada", by: .recoveryCode)
        #expect(try await guarding.isLocked(memberID: "ada", kind: .otp) == false)
        #expect(try await guarding.attempt(memberID: "ada", kind: .otp) { (true, 7) } == 7)

        let events = try await AuditLog(store: store).entries(for: "ada").map(\.event)
        #expect(events.filter { $0 == .failed(.otp) }.count == 100)
        #expect(events.filter { $0 == .locked(.otp) }.count == 1)
        #expect(events.contains(.unlocked(.otp, by: .recoveryCode)))
        #expect(events.last == .succeeded(.otp))
        #expect(events.firstIndex(of: .locked(.otp)) ?? 0 < events.firstIndex(of: .unlocked(.otp, by: .recoveryCode)) ?? 0)
        #expect(try await AuditLog(store: store).entries(for: "ada").first?.source == "203.0.113.9")
    }

    @Test(arguments: StoreKind.allCases)
    func aSuccessStartsTheCountAgain(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let guarding = AttemptGuard(store: store, limit: 3)
        for _ in 0..<2 { _ = try await guarding.attempt(memberID: "ada", kind: .sms) { (false, ()) } }
        _ = try await guarding.attempt(memberID: "ada", kind: .sms) { (true, ()) }
        for _ in 0..<2 { _ = try await guarding.attempt(memberID: "ada", kind: .sms) { (false, ()) } }
        #expect(try await guarding.isLocked(memberID: "ada", kind: .sms) == false)
        _ = try await guarding.attempt(memberID: "ada", kind: .sms) { (false, ()) }
        #expect(try await guarding.isLocked(memberID: "ada", kind: .sms))
        // An admin unlocks one factor.
        try await guarding.unlock(memberID: "ada", kind: .sms, by: .admin, source: "admin:grace")
        #expect(try await guarding.isLocked(memberID: "ada", kind: .sms) == false)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentGuessesCannotPassTheLimit(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let guarding = AttemptGuard(store: store, limit: 10)
        let ran = await race(40) {
            do {
                return try await guarding.attempt(memberID: "ada", kind: .otp) { (false, true) }
            } catch is PolicyError {
                return false
            } catch {
                Issue.record("an attempt failed otherwise than by the limit: \(error)")
                return false
            }
        }
        #expect(ran == 10)
        #expect(try await guarding.isLocked(memberID: "ada", kind: .otp))
    }

    @Test func onAStoreOnlyThisProcessWritesASuccessStoresNothingButItsAuditEvent() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = CachingRecordStore(base: temporary.store)
        let guarding = AttemptGuard(store: store, limit: 3)
        for _ in 0..<5 { _ = try await guarding.attempt(memberID: "ada", kind: .otp) { (true, ()) } }
        #expect(try await temporary.store.get(AttemptGuard.State.self, id: "ada|otp") == nil)
        #expect(try await AuditLog(store: store).entries(for: "ada").count == 5)
        // A failure is stored (and survives this process), and a success after it resets it.
        _ = try await guarding.attempt(memberID: "ada", kind: .otp) { (false, ()) }
        #expect(try await temporary.store.get(AttemptGuard.State.self, id: "ada|otp")?.counter.consecutiveFailures == 1)
        _ = try await guarding.attempt(memberID: "ada", kind: .otp) { (true, ()) }
        #expect(try await temporary.store.get(AttemptGuard.State.self, id: "ada|otp")?.counter.consecutiveFailures == 0)
        // The limit counts stored failures with attempts under way in this process.
        for _ in 0..<3 { _ = try await guarding.attempt(memberID: "ada", kind: .otp) { (false, ()) } }
        #expect(try await AttemptGuard(store: store, limit: 3).isLocked(memberID: "ada", kind: .otp))
    }

    @Test(arguments: StoreKind.allCases)
    func aThrowingAttemptCountsAsAFailure(_ storeKind: StoreKind) async throws {
        struct Broken: Error {}
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let guarding = AttemptGuard(store: store, limit: 2)
        for _ in 0..<2 {
            await #expect(throws: Broken.self) {
                try await guarding.attempt(memberID: "ada", kind: .push) { () -> (succeeded: Bool, result: Int) in throw Broken() }
            }
        }
        #expect(try await guarding.isLocked(memberID: "ada", kind: .push))
    }
}
