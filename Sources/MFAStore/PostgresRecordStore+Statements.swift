import Foundation
import PostgresNIO

// The record store's queries as prepared statements: each connection parses and plans them
// once, then sends only their values. Per-query parsing was most of what PostgreSQL and the
// driver spent on a sign-in's twenty-odd queries.

extension PostgresRecordStore {
    struct InsertRecord: PostgresPreparedStatement {
        typealias Row = Int
        static let sql = """
            INSERT INTO record (kind, id, owner, data, version, expires_at) VALUES ($1, $2, $3, $4, 1, $5)
            """
        var kind: String
        var id: String
        var owner: String
        var data: Data
        var expiresAt: Double?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(self.kind)
            bindings.append(self.id)
            bindings.append(self.owner)
            try bindings.append(self.data)
            bindings.append(self.expiresAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int { 0 }
    }

    struct GetRecord: PostgresPreparedStatement {
        typealias Row = (String, Data, Int)
        static let sql = "SELECT owner, data, version FROM record WHERE kind = $1 AND id = $2"
        var kind: String
        var id: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(self.kind)
            bindings.append(self.id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    struct ListRecords: PostgresPreparedStatement {
        typealias Row = (String, Data, Int)
        static let sql = "SELECT id, data, version FROM record WHERE kind = $1 AND owner = $2 ORDER BY seq"
        var kind: String
        var owner: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(self.kind)
            bindings.append(self.owner)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    struct SwapRecord: PostgresPreparedStatement {
        typealias Row = Int
        static let sql = """
            UPDATE record SET data = $1, version = version + 1
            WHERE kind = $2 AND id = $3 AND version = $4 RETURNING version
            """
        var data: Data
        var kind: String
        var id: String
        var expectedVersion: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            try bindings.append(self.data)
            bindings.append(self.kind)
            bindings.append(self.id)
            bindings.append(Int32(clamping: self.expectedVersion))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    struct DeleteRecord: PostgresPreparedStatement {
        typealias Row = String
        static let sql = "DELETE FROM record WHERE kind = $1 AND id = $2 AND version = $3 RETURNING id"
        var kind: String
        var id: String
        var expectedVersion: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(self.kind)
            bindings.append(self.id)
            bindings.append(Int32(clamping: self.expectedVersion))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }
}
