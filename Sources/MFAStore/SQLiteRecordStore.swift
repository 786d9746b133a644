public import Foundation
import GRDB

/// The embedded default store: one SQLite file through GRDB, in WAL mode, with migrations.
/// Writes that arrive together share one transaction and one sync to disk (group commit); a
/// write returns only once its transaction is durable, and a crash leaves either the old or the
/// new record.
public final class SQLiteRecordStore: RecordStore {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter
    /// The database file.
    public let path: String

    /// Opens (creating when missing) the store at `path` and migrates it.
    ///
    /// - Throws: ``StoreError/Code/database``.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            self.pool = pool
            self.writer = GroupCommitWriter(pool: pool)
        } catch {
            throw .database("\(path): \(error)")
        }
    }

    // The store's reads are short (one statement on an indexed key), so they run on the calling
    // thread instead of hopping to GRDB's queues and back: the hops cost more than the statements
    // (perf: ~30 % of a sign-in in the kernel's thread switching).
    private func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try self.pool.read(body)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE record (
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        data BLOB NOT NULL,
                        version INTEGER NOT NULL,
                        created_at REAL NOT NULL DEFAULT (julianday('now')),
                        PRIMARY KEY (kind, id)
                    );
                    CREATE INDEX record_owner ON record (kind, owner, created_at);
                    """
            )
        }
        migrator.registerMigration("v2: expiry") { db in
            try db.execute(
                sql: """
                    ALTER TABLE record ADD COLUMN expires_at REAL;
                    CREATE INDEX record_expiry ON record (expires_at) WHERE expires_at IS NOT NULL;
                    """
            )
        }
        return migrator
    }

    /// SQLite's own consistency check of the file (`PRAGMA integrity_check`): `["ok"]` when sound.
    public func integrityCheck() async throws(StoreError) -> [String] {
        do {
            return try self.readNow { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw .database("\(error)")
        }
    }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        guard StoredText.isStorable(kind, id, owner) else { throw StoredText.refusal }
        let expiry = expiresAt?.timeIntervalSince1970
        try await self.writer.write { db in
            do {
                try db.cachedStatement(
                    sql: "INSERT INTO record (kind, id, owner, data, version, expires_at) VALUES (?, ?, ?, ?, 1, ?)"
                ).execute(arguments: [kind, id, owner, data, expiry])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw StoreError.duplicate(kind: kind, id: id)
            }
        }
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        guard StoredText.isStorable(kind, id) else { return nil }
        do {
            return try self.readNow { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT owner, data, version FROM record WHERE kind = ? AND id = ?"),
                    arguments: [kind, id]
                ).map { row in
                    StoredRecord(kind: kind, id: id, owner: row["owner"], data: row["data"], version: row["version"])
                }
            }
        } catch {
            throw .database("\(error)")
        }
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        guard StoredText.isStorable(kind, owner) else { return [] }
        do {
            return try self.readNow { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql:
                            "SELECT id, data, version FROM record WHERE kind = ? AND owner = ? ORDER BY created_at, rowid"
                    ),
                    arguments: [kind, owner]
                ).map { row in
                    StoredRecord(kind: kind, id: row["id"], owner: owner, data: row["data"], version: row["version"])
                }
            }
        } catch {
            throw .database("\(error)")
        }
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        guard StoredText.isStorable(kind, id) else { return false }
        return try await self.writer.write { db in
            try db.cachedStatement(
                sql: "UPDATE record SET data = ?, version = version + 1 WHERE kind = ? AND id = ? AND version = ?"
            ).execute(arguments: [data, kind, id, expectedVersion])
            return db.changesCount == 1
        }
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        guard StoredText.isStorable(kind, id) else { return false }
        return try await self.writer.write { db in
            try db.cachedStatement(sql: "DELETE FROM record WHERE kind = ? AND id = ? AND version = ?").execute(
                arguments: [kind, id, expectedVersion])
            return db.changesCount == 1
        }
    }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError)
        -> [RecordKey]
    {
        let cutoff = date.timeIntervalSince1970
        return try await self.writer.write { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        DELETE FROM record WHERE rowid IN (
                            SELECT rowid FROM record
                            WHERE expires_at < ? AND substr(kind, 1, ?) = ? LIMIT ?
                        ) RETURNING kind, id
                        """
                ),
                arguments: [cutoff, kindPrefix.unicodeScalars.count, kindPrefix, limit]
            ).map { RecordKey(kind: $0["kind"], id: $0["id"]) }
        }
    }
}
