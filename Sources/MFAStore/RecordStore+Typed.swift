import Foundation
import StreamingJSON

extension RecordStore {
    /// Stores a new record (one that expires, ``ExpiringRecord``, with its expiry).
    public func insert<Record: StorableRecord>(_ record: Record, id: String, owner: String) async throws(StoreError) {
        let data = try Self.encode(record, id: id)
        try await self.insert(kind: Record.recordKind, id: id, owner: owner, data: data, expiresAt: record.storedExpiry)
        // The next read (a challenge's consumption) need not decode what was just encoded.
        self.keepDecoded(record, id: id, version: 1, data: data)
    }

    /// Reads a record.
    public func get<Record: StorableRecord>(_ type: Record.Type, id: String) async throws(StoreError) -> Record? {
        try await self.getVersioned(type, id: id)?.record
    }

    /// A record and the version it was read at (decoded once when the store keeps decoded
    /// records, ``decodedRecord(_:id:)``): what a later ``modify(_:id:startingFrom:attempts:_:)``
    /// may start from.
    public func getVersioned<Record: StorableRecord>(_ type: Record.Type, id: String) async throws(StoreError)
        -> Versioned<Record>?
    {
        if let kept = self.decodedRecord(type, id: id) { return kept }
        guard let stored = try await self.get(kind: Record.recordKind, id: id) else { return nil }
        let record = try Self.decode(type, stored)
        self.keepDecoded(record, id: id, version: stored.version, data: stored.data)
        return Versioned(record: record, version: stored.version)
    }

    /// The records of a kind owned by `owner`.
    public func list<Record: StorableRecord>(_ type: Record.Type, owner: String) async throws(StoreError) -> [Record] {
        try await self.entries(type, owner: owner).map(\.record)
    }

    /// The records of a kind owned by `owner` with their ids.
    public func entries<Record: StorableRecord>(_ type: Record.Type, owner: String) async throws(StoreError)
        -> [(id: String, record: Record)]
    {
        var records: [(id: String, record: Record)] = []
        if let ids = self.listedIDs(kind: Record.recordKind, owner: owner) {
            // Decoded once, from the records the store keeps.
            for id in ids {
                if let read = try await self.getVersioned(type, id: id) { records.append((id, read.record)) }
            }
            return records
        }
        for stored in try await self.list(kind: Record.recordKind, owner: owner) {
            records.append((stored.id, try Self.decode(type, stored)))
        }
        return records
    }

    /// Reads a record, lets `body` decide its next value and a result, and writes the new value
    /// only if nobody wrote in between; on a conflict it reads again and retries. This is how
    /// codes, steps, challenges and transactions are consumed exactly once.
    ///
    /// `startingFrom`, a version of the record read a moment ago (by this request), spares the
    /// first read: if it is no longer current, the write fails and the record is read again.
    ///
    /// Only a lost compare-and-swap runs `body` again (on a fresh read), and so does a refusal
    /// of a `startingFrom` that is no longer current: a decision on a stale value is no
    /// decision. An error `body` throws on the current value (a fresh read, or a `startingFrom`
    /// nobody has changed since) ends the change at once: a failed assertion or a locked factor
    /// is decided once, never re-run on the same value.
    ///
    /// - Throws: ``StoreError/Code/notFound``, ``StoreError/Code/contention`` after
    ///   `attempts` conflicts, or what `body` throws (then nothing is written).
    public func modify<Record: StorableRecord, Result: Sendable>(
        _ type: Record.Type,
        id: String,
        startingFrom known: Versioned<Record>? = nil,
        attempts: Int = 64,
        _ body: (inout Record) throws -> Result
    ) async throws -> Result {
        try await self.update(type, id: id, startingFrom: known, attempts: attempts, body).result
    }

    /// ``modify(_:id:startingFrom:attempts:_:)`` that also returns the record as written, and its
    /// version: what the next change of it may start from.
    public func update<Record: StorableRecord, Result: Sendable>(
        _ type: Record.Type,
        id: String,
        startingFrom known: Versioned<Record>? = nil,
        attempts: Int = 64,
        _ body: (inout Record) throws -> Result
    ) async throws -> (result: Result, written: Versioned<Record>) {
        var known = known
        for attempt in 0..<attempts {
            let snapshot: Versioned<Record>
            let isKnown = known != nil
            if let given = known {
                snapshot = given
                known = nil
            } else {
                guard let read = try await self.getVersioned(type, id: id) else {
                    throw StoreError.notFound(kind: Record.recordKind, id: id)
                }
                snapshot = read
            }
            var record = snapshot.record
            let result: Result
            do {
                result = try body(&record)
            } catch {
                // A refusal of the current value stands; one of a stale start is decided again.
                guard isKnown, let current = try await self.getVersioned(type, id: id),
                    current.version != snapshot.version
                else { throw error }
                known = current
                continue
            }
            let data = try Self.encode(record, id: id)
            let version = snapshot.version
            if try await self.compareAndSwap(kind: Record.recordKind, id: id, expectedVersion: version, data: data) {
                self.keepDecoded(record, id: id, version: version + 1, data: data)
                return (result, Versioned(record: record, version: version + 1))
            }
            if !isKnown { await Self.backOff(after: attempt) }
        }
        throw StoreError.contention(kind: Record.recordKind, id: id)
    }

    /// ``modify(_:id:startingFrom:attempts:_:)`` on a record that is created from `initial`
    /// (owned by `owner`) when it does not exist yet; concurrent creators end up modifying one
    /// record.
    public func modify<Record: StorableRecord, Result: Sendable>(
        _ type: Record.Type,
        id: String,
        insertingIfMissing initial: @autoclosure () -> Record,
        owner: String,
        _ body: (inout Record) throws -> Result
    ) async throws -> Result {
        try await self.update(type, id: id, insertingIfMissing: initial(), owner: owner, body).result
    }

    /// ``modify(_:id:insertingIfMissing:owner:_:)`` that also returns the record as written.
    public func update<Record: StorableRecord, Result: Sendable>(
        _ type: Record.Type,
        id: String,
        insertingIfMissing initial: @autoclosure () -> Record,
        owner: String,
        _ body: (inout Record) throws -> Result
    ) async throws -> (result: Result, written: Versioned<Record>) {
        do {
            return try await self.update(type, id: id, body)
        } catch StoreError.Code.notFound {
            let created = initial()
            do {
                try await self.insert(created, id: id, owner: owner)
            } catch {
                // Created concurrently: modify that one.
                guard error.code == .duplicate else { throw error }
                return try await self.update(type, id: id, body)
            }
            return try await self.update(type, id: id, startingFrom: Versioned(record: created, version: 1), body)
        }
    }

    /// Deletes the record if `condition` holds for it (and nobody wrote it in between); returns
    /// whether it was deleted. A missing record is `false`.
    ///
    /// - Throws: ``StoreError/Code/contention`` after `attempts` conflicts.
    public func delete<Record: StorableRecord>(
        _ type: Record.Type,
        id: String,
        attempts: Int = 64,
        if condition: (Record) -> Bool
    ) async throws(StoreError) -> Bool {
        for attempt in 0..<attempts {
            guard let stored = try await self.get(kind: Record.recordKind, id: id),
                condition(try Self.decode(type, stored))
            else { return false }
            if try await self.delete(kind: Record.recordKind, id: id, expectedVersion: stored.version) { return true }
            await Self.backOff(after: attempt)
        }
        throw StoreError.contention(kind: Record.recordKind, id: id)
    }

    /// Before trying a compare-and-swap again: a yield for the first conflicts, then a growing,
    /// jittered pause (up to ~50 ms), so writers that keep colliding — many at once on a loaded
    /// machine, where a commit takes a while — spread out instead of using up their tries.
    static func backOff(after conflicts: Int) async {
        guard conflicts >= 4 else {
            await Task.yield()
            return
        }
        let ceiling = min(50_000, 200 << min(conflicts - 4, 8))
        try? await Task.sleep(for: .microseconds(Int.random(in: ceiling / 2...ceiling)))
    }

    static func encode<Record: StorableRecord>(_ record: Record, id: String) throws(StoreError) -> Data {
        do {
            return try RecordCoding.encoder.encode(record)
        } catch {
            throw .corrupt(kind: Record.recordKind, id: id)
        }
    }

    static func decode<Record: StorableRecord>(_ type: Record.Type, _ stored: StoredRecord) throws(StoreError) -> Record
    {
        do {
            return try RecordCoding.decoder.decode(type, from: stored.data)
        } catch {
            throw .corrupt(kind: stored.kind, id: stored.id)
        }
    }
}

/// The JSON coders of stored records: records are written by ``StreamingJSONEncoder`` (dates in
/// milliseconds since 1970) and read by a `JSONDecoder` made once (thread-safe while its options
/// stay as set here; making one per record showed in profiles).
enum RecordCoding {
    static let encoder = StreamingJSONEncoder()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
