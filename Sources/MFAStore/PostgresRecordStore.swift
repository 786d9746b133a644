public import Foundation
import Logging
import PostgresNIO

/// The store for deployments that outgrow one machine: the same records in PostgreSQL through
/// postgres-nio, shared by several server instances. Compare-and-swap is one `UPDATE … WHERE
/// version = …`, so concurrent instances consume one-time values exactly once.
public final class PostgresRecordStore: RecordStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger = Logger(label: "FIDOKit.PostgresRecordStore")

    /// Connections opened at most when `max_connections` is not in the URL: four per core. More
    /// connections than the cores can serve made each query dearer (measured with PostgreSQL on
    /// the same machine: 20 connections cost ~25 % more CPU per sign-in than 8).
    public static let defaultMaximumConnections = 4 * ProcessInfo.processInfo.activeProcessorCount

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, optionally with
    /// `?max_connections=N` for the pool's size) and migrates the schema.
    ///
    /// - Throws: ``StoreError/Code/database`` for a bad URL or a server that does not answer.
    public init(url: String) async throws(StoreError) {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user,
            let database = components.path.split(separator: "/").first.map(String.init)
        else { throw .database("\(url) is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL") }
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value, mode != "disable" {
            throw .database(
                "sslmode=\(mode) is not supported yet; use a local socket, a private network or an SSH tunnel"
            )
        }
        let configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user,
            password: components.password,
            database: database,
            tls: .disable
        )
        var configured = configuration
        configured.options.maximumConnections = Self.defaultMaximumConnections
        if let text = components.queryItems?.first(where: { $0.name == "max_connections" })?.value {
            guard let count = Int(text), (1...1_000).contains(count) else {
                throw .database("max_connections=\(text) is not a number of connections from 1 to 1000")
            }
            configured.options.maximumConnections = count
        }
        let client = PostgresClient(configuration: configured)
        self.client = client
        self.runner = Task.detached { await client.run() }
        do {
            try await Self.migrate(client, logger: Logger(label: "FIDOKit.PostgresRecordStore"))
        } catch {
            self.runner.cancel()
            throw .database("\(error)")
        }
    }

    deinit {
        self.runner.cancel()
    }

    /// Closes the connections.
    public func shutdown() {
        self.runner.cancel()
    }

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One migrator at a time across instances.
            try await connection.query("SELECT pg_advisory_xact_lock(7245110)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS fidokit_schema (version INTEGER NOT NULL)
                """,
                logger: logger
            )
            let rows = try await connection.query(
                "SELECT coalesce(max(version), 0) FROM fidokit_schema",
                logger: logger
            )
            var current = 0
            for try await (version) in rows.decode(Int.self) { current = version }
            if current < 1 {
                try await connection.query(
                    """
                    CREATE TABLE record (
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        data BYTEA NOT NULL,
                        version INTEGER NOT NULL,
                        seq BIGSERIAL,
                        PRIMARY KEY (kind, id)
                    )
                    """,
                    logger: logger
                )
                try await connection.query("CREATE INDEX record_owner ON record (kind, owner, seq)", logger: logger)
                try await connection.query("INSERT INTO fidokit_schema (version) VALUES (1)", logger: logger)
            }
            if current < 2 {
                try await connection.query("ALTER TABLE record ADD COLUMN expires_at DOUBLE PRECISION", logger: logger)
                try await connection.query(
                    "CREATE INDEX record_expiry ON record (expires_at) WHERE expires_at IS NOT NULL",
                    logger: logger
                )
                try await connection.query("INSERT INTO fidokit_schema (version) VALUES (2)", logger: logger)
            }
        }
    }

    public func insert(kind: String, id: String, owner: String, data: Data, expiresAt: Date?) async throws(StoreError) {
        guard StoredText.isStorable(kind, id, owner) else { throw StoredText.refusal }
        let expiry = expiresAt?.timeIntervalSince1970
        do {
            let rows = try await self.client.execute(
                InsertRecord(kind: kind, id: id, owner: owner, data: data, expiresAt: expiry),
                logger: self.logger
            )
            for try await _ in rows {}
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw .duplicate(kind: kind, id: id)
        } catch {
            throw .database("\(error)")
        }
    }

    public func get(kind: String, id: String) async throws(StoreError) -> StoredRecord? {
        guard StoredText.isStorable(kind, id) else { return nil }
        do {
            let rows = try await self.client.execute(GetRecord(kind: kind, id: id), logger: self.logger)
            for try await (owner, data, version) in rows {
                return StoredRecord(kind: kind, id: id, owner: owner, data: data, version: version)
            }
            return nil
        } catch {
            throw .database("\(error)")
        }
    }

    public func list(kind: String, owner: String) async throws(StoreError) -> [StoredRecord] {
        guard StoredText.isStorable(kind, owner) else { return [] }
        do {
            let rows = try await self.client.execute(ListRecords(kind: kind, owner: owner), logger: self.logger)
            var records: [StoredRecord] = []
            for try await (id, data, version) in rows {
                records.append(StoredRecord(kind: kind, id: id, owner: owner, data: data, version: version))
            }
            return records
        } catch {
            throw .database("\(error)")
        }
    }

    public func compareAndSwap(kind: String, id: String, expectedVersion: Int, data: Data) async throws(StoreError)
        -> Bool
    {
        guard StoredText.isStorable(kind, id) else { return false }
        do {
            let rows = try await self.client.execute(
                SwapRecord(data: data, kind: kind, id: id, expectedVersion: expectedVersion),
                logger: self.logger
            )
            var updated = false
            for try await _ in rows { updated = true }
            return updated
        } catch {
            throw .database("\(error)")
        }
    }

    public func delete(kind: String, id: String, expectedVersion: Int) async throws(StoreError) -> Bool {
        guard StoredText.isStorable(kind, id) else { return false }
        do {
            let rows = try await self.client.execute(
                DeleteRecord(kind: kind, id: id, expectedVersion: expectedVersion),
                logger: self.logger
            )
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        } catch {
            throw .database("\(error)")
        }
    }

    public func deleteExpired(before date: Date, kindPrefix: String, limit: Int) async throws(StoreError)
        -> [RecordKey]
    {
        let cutoff = date.timeIntervalSince1970
        let prefixLength = Int32(kindPrefix.unicodeScalars.count)
        do {
            let rows = try await self.client.query(
                """
                DELETE FROM record WHERE ctid IN (
                    SELECT ctid FROM record
                    WHERE expires_at < \(cutoff) AND left(kind, \(prefixLength)) = \(kindPrefix) LIMIT \(limit)
                ) RETURNING kind, id
                """,
                logger: self.logger
            )
            var keys: [RecordKey] = []
            for try await (kind, id) in rows.decode((String, String).self) {
                keys.append(RecordKey(kind: kind, id: id))
            }
            return keys
        } catch {
            throw .database("\(error)")
        }
    }
}
