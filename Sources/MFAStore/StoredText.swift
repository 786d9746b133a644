/// Kinds, ids and owners as both databases keep them. SQLite takes bound text up to its first
/// NUL (GRDB binds strings NUL-terminated), so `dave@example.com\0x` would read and write the
/// record of `dave@example.com`; PostgreSQL refuses NUL in text outright. A key holding NUL
/// therefore names no record: reads find nothing, writes are refused — in both stores alike.
enum StoredText {
    /// Whether every one of `keys` can be stored as it is.
    static func isStorable(_ keys: String...) -> Bool {
        keys.allSatisfy { !$0.utf8.contains(0) }
    }

    /// The refusal of a write whose key holds NUL.
    static let refusal = StoreError.database("a record's kind, id or owner holds a NUL character")
}
