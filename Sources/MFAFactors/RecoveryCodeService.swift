public import Foundation
public import MFAStore
public import RecoveryCode

/// A member's single recovery code in a store: issued (or regenerated) as a new code whose
/// scrypt hash replaces the old one; using it consumes it atomically and issues the next.
public struct RecoveryCodeService: Sendable {
    /// The stored hash of a member's live code.
    public struct Record: StorableRecord, Sendable {
        public static let recordKind = "recovery-code"
        public var hash: String
        public var issuedAt: Date
    }

    public let store: any RecordStore
    public let parameters: SlowHash.Parameters

    /// Creates the service.
    public init(store: any RecordStore, parameters: SlowHash.Parameters = .interactive) {
        self.store = store
        self.parameters = parameters
    }

    /// Issues a new code for `memberID`, replacing any earlier one. Show it once.
    public func issue(for memberID: String, at now: Date = Date()) async throws -> RecoveryCode {
        let code = RecoveryCode.generate()
        let record = Record(
            hash: try SlowHash(hashing: code.symbols, parameters: self.parameters).description,
            issuedAt: now
        )
        if try await self.store.get(Record.self, id: memberID) == nil {
            do {
                try await self.store.insert(record, id: memberID, owner: memberID)
                return code
            } catch {
                // Issued concurrently: replace it below.
                guard error.code == .duplicate else { throw error }
            }
        }
        try await self.store.modify(Record.self, id: memberID) { $0 = record }
        return code
    }

    /// Whether the member has a live code.
    public func hasCode(_ memberID: String) async throws -> Bool {
        try await self.store.get(kind: Record.recordKind, id: memberID) != nil
    }

    /// Deletes the member's code (MFA turned off).
    public func revoke(for memberID: String) async throws {
        _ = try await self.store.delete(Record.self, id: memberID) { _ in true }
    }

    /// Uses `typed` for `memberID`: when it is the live code it is consumed, and the new code
    /// that replaces it is returned (show it and say so); otherwise `nil`. Of concurrent uses
    /// of one code, exactly one succeeds.
    public func use(_ typed: String, for memberID: String, at now: Date = Date()) async throws -> RecoveryCode? {
        guard let code = RecoveryCode(typed: typed) else { return nil }
        let next = RecoveryCode.generate()
        let parameters = self.parameters
        do {
            let used = try await self.store.modify(Record.self, id: memberID) { record -> Bool in
                guard SlowHash(stored: record.hash)?.matches(code.symbols) == true else { return false }
                record = Record(
                    hash: try SlowHash(hashing: next.symbols, parameters: parameters).description,
                    issuedAt: now
                )
                return true
            }
            return used ? next : nil
        } catch StoreError.Code.notFound {
            return nil
        }
    }
}
