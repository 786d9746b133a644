/// Why a store operation failed.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A record with this kind and id exists already.
    case duplicate(kind: String, id: String)
    /// No record with this kind and id.
    case notFound(kind: String, id: String)
    /// The record kept changing under concurrent writers; the operation gave up.
    case contention(kind: String, id: String)
    /// The database failed (I/O, corruption, connection).
    case database(String)
    /// A record's JSON did not decode as the expected type.
    case corrupt(kind: String, id: String)

    public var description: String {
        switch self {
        case .duplicate(let kind, let id): return "A \(kind) with id \(id) exists already."
        case .notFound(let kind, let id): return "There is no \(kind) with id \(id)."
        case .contention(let kind, let id): return "The \(kind) \(id) kept changing; try again."
        case .database(let reason): return "The database failed: \(reason)."
        case .corrupt(let kind, let id): return "The stored \(kind) \(id) does not decode."
        }
    }
}
