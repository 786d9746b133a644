import Foundation
import MFAStore
import OTP
import Push
import RecoveryCode
import SMS
import Testing

// The factor records as the service will store them (the conformances live with the service;
// here they are the tests').
extension SMSChallenge: StorableRecord { public static let recordKind = "sms-challenge" }
extension PushTransaction: StorableRecord { public static let recordKind = "push-transaction" }

/// An OTP factor's replay state: the last accepted time step.
struct OTPFactorState: StorableRecord {
    static let recordKind = "otp-factor"
    var secret: [UInt8]
    var lastAcceptedStep: UInt64?
}

/// A member's live recovery code, as its scrypt hash.
struct RecoveryCodeRecord: StorableRecord {
    static let recordKind = "recovery-code"
    var hash: String
    var used: Bool
}

/// A WebAuthn challenge issued for one ceremony.
struct ChallengeRecord: StorableRecord {
    static let recordKind = "webauthn-challenge"
    var challenge: [UInt8]
    var consumed: Bool
}

/// A stored credential's signature counter.
struct CounterRecord: StorableRecord {
    static let recordKind = "webauthn-credential"
    var signCount: UInt32
}

/// A fresh SQLite store in a temporary folder.
struct TemporaryStore {
    let directory: URL
    let store: SQLiteRecordStore

    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfastore-\(UUID().uuidString)")
        self.store = try SQLiteRecordStore(path: self.directory.appendingPathComponent("mfa.sqlite").path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}

/// The two stores every contract test runs against. PostgreSQL is the server `scripts/test.sh`
/// starts; its URL comes from `FIDOKIT_POSTGRES_URL`, and without it the PostgreSQL cases fail
/// (they are never skipped).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { self.rawValue }

    /// A store whose records no other test sees (a temporary SQLite file, or a fresh kind
    /// namespace in the shared PostgreSQL database), and how to clean it up.
    func make() async throws -> (store: any RecordStore, cleanUp: @Sendable () -> Void) {
        switch self {
        case .sqlite:
            let temporary = try TemporaryStore()
            return (temporary.store, { temporary.remove() })
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["FIDOKIT_POSTGRES_URL"] else {
                throw StoreError.database("FIDOKIT_POSTGRES_URL is not set: run scripts/test.sh, which starts PostgreSQL")
            }
            let store = try await PostgresRecordStore(url: url)
            return (NamespacedStore(base: store, namespace: UUID().uuidString + "/"), { store.shutdown() })
        }
    }
}

/// Prefixes every kind, so tests sharing one database never see each other's records.
struct NamespacedStore: RecordStore {
    let base: any RecordStore
    let namespace: String

    func insert(kind: String, id: String, owner: String, data: Data) async throws(StoreError) {
        do {
            try await self.base.insert(kind: self.namespace + kind, id: id, owner: owner, data: data)
        } catch {
            // Errors name the kind the test used.
            switch error {
            case .duplicate(_, let id): throw .duplicate(kind: kind, id: id)
            default: throw error
            }
        }
    }

    func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        try await self.base.get(kind: self.namespace + kind, id: id).map { record in
            var record = record
            record.kind = kind
            return record
        }
    }

    func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        try await self.base.list(kind: self.namespace + kind, owner: owner).map { record in
            var record = record
            record.kind = kind
            return record
        }
    }

    func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError) -> Bool {
        try await self.base.compareAndSwap(kind: self.namespace + kind, id: id, expectedVersion: expectedVersion, data: data)
    }

    func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        try await self.base.delete(kind: self.namespace + kind, id: id, expectedVersion: expectedVersion)
    }
}
