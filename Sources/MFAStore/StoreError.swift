/// Why a store operation failed.
///
/// Every failure has a ``code`` a caller can act on, a ``message`` a person can read and the
/// place it was thrown; a failure of one record also names it (``kind``, ``id``). Two errors
/// are equal when their codes are equal.
///
/// Match one code with `catch StoreError.Code.notFound { … }` (or `catch let error as StoreError
/// where error.code == .notFound`). In a `do` whose body throws only `StoreError` (typed throws),
/// catch everything and rethrow the rest — `catch { guard error.code == .duplicate else { throw
/// error } … }` — since a `catch` that leaves some errors to propagate there crashes Swift 6.3's
/// SIL passes when a closure follows in the same function.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure it is. New codes may be added in minor releases.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { self.rawValue }

        /// A record with this kind and id exists already.
        public static let duplicate: Code = "duplicate"
        /// No record with this kind and id.
        public static let notFound: Code = "not_found"
        /// The record kept changing under concurrent writers; the operation gave up.
        public static let contention: Code = "contention"
        /// The database failed (I/O, corruption, connection, configuration).
        public static let database: Code = "database"
        /// A record's JSON did not decode as the expected type (or the value did not encode).
        public static let corrupt: Code = "corrupt"

        /// Whether `error` is a ``StoreError`` with this code: what lets
        /// `catch StoreError.Code.notFound` and `case StoreError.Code.duplicate:` match.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? StoreError)?.code == code
        }
    }

    /// What kind of failure it is.
    public var code: Code
    /// A sentence that says what failed.
    public var message: String
    /// The kind of the record the failure is about, when it is about one.
    public var kind: String?
    /// The id of the record the failure is about, when it is about one.
    public var id: String?
    /// The source file that threw the error.
    public var file: String
    /// The line that threw the error.
    public var line: UInt

    /// Creates an error; the static constructors (``duplicate(kind:id:file:line:)``, …) say the
    /// usual sentences.
    public init(
        _ code: Code,
        _ message: String,
        kind: String? = nil,
        id: String? = nil,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.kind = kind
        self.id = id
        self.file = file
        self.line = line
    }

    /// A record with this kind and id exists already.
    public static func duplicate(kind: String, id: String, file: String = #fileID, line: UInt = #line) -> StoreError {
        StoreError(.duplicate, "A \(kind) with id \(id) exists already.", kind: kind, id: id, file: file, line: line)
    }

    /// No record with this kind and id.
    public static func notFound(kind: String, id: String, file: String = #fileID, line: UInt = #line) -> StoreError {
        StoreError(.notFound, "There is no \(kind) with id \(id).", kind: kind, id: id, file: file, line: line)
    }

    /// The record kept changing under concurrent writers; the operation gave up.
    public static func contention(kind: String, id: String, file: String = #fileID, line: UInt = #line) -> StoreError {
        StoreError(
            .contention,
            "The \(kind) \(id) kept changing; try again.",
            kind: kind,
            id: id,
            file: file,
            line: line
        )
    }

    /// The database failed, for `reason` (I/O, corruption, connection, configuration).
    public static func database(_ reason: String, file: String = #fileID, line: UInt = #line) -> StoreError {
        StoreError(.database, "The database failed: \(reason).", file: file, line: line)
    }

    /// A record's JSON did not decode as the expected type.
    public static func corrupt(kind: String, id: String, file: String = #fileID, line: UInt = #line) -> StoreError {
        StoreError(.corrupt, "The stored \(kind) \(id) does not decode.", kind: kind, id: id, file: file, line: line)
    }

    /// The ``message``.
    public var description: String { self.message }

    /// The code, the message and where it was thrown.
    public var debugDescription: String { "StoreError.\(self.code): \(self.message) (\(self.file):\(self.line))" }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
