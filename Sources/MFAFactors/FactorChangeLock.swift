public import Foundation
public import MFAStore

/// A member's lock on changes to their set of factors, held in the store (so every server
/// sharing it honours it): a record inserted to take the lock — an insert of an existing id
/// fails, so one taker wins — and deleted to release it. It expires after ``lifetime``, so a
/// process that died holding it blocks the member for seconds, not forever.
public struct FactorChangeLock: ExpiringRecord, Sendable {
    public static let recordKind = "factor-change-lock"
    /// When a lock left behind stops counting.
    public var expiresAt: Date
    /// Who took it: only the taker releases it (not a later taker of an expired lock's place).
    public var holder: String

    /// How long a lock holds at most (a change takes milliseconds; a first factor also hashes
    /// its recovery code, seconds on a loaded machine).
    public static let lifetime: TimeInterval = 60

    /// How long a change waits for the lock before it is refused (409 `factor_change_busy`).
    public static let wait: TimeInterval = 30
}

extension FactorDirectory {
    /// Runs `body` holding `memberID`'s ``FactorChangeLock``: waits (up to ``FactorChangeLock/wait``) while
    /// another change of the member's factors runs, takes over a lock past its expiry.
    ///
    /// - Throws: ``FactorError/factorChangeBusy`` when the lock stays taken; whatever `body` throws.
    func serialized<Result: Sendable>(
        memberID: String,
        at now: Date,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let store = self.otp.store
        let holder = UUID().uuidString
        var taken = false
        let giveUp = Date().addingTimeInterval(FactorChangeLock.wait)
        var attempt = 0
        while Date() < giveUp {
            attempt += 1
            do {
                try await store.insert(
                    FactorChangeLock(expiresAt: Date().addingTimeInterval(FactorChangeLock.lifetime), holder: holder),
                    id: memberID,
                    owner: memberID
                )
                taken = true
                break
            } catch {
                guard error.code == .duplicate else { throw error }
            }
            // A lock past its expiry was left by a process that died: remove it and try again.
            let stale = try await store.delete(FactorChangeLock.self, id: memberID) { $0.expiresAt < Date() }
            if !stale { try await Task.sleep(nanoseconds: UInt64(min(50, 2 + attempt)) * 1_000_000) }
        }
        guard taken else { throw FactorError.factorChangeBusy }
        do {
            let result = try await body()
            _ = try await store.delete(FactorChangeLock.self, id: memberID) { $0.holder == holder }
            return result
        } catch {
            _ = try? await store.delete(FactorChangeLock.self, id: memberID) { $0.holder == holder }
            throw error
        }
    }
}
