public import Foundation

/// A value kept in a ``RecordStore``: its kind names the table-like group it lives in.
public protocol StorableRecord: Codable, Sendable {
    /// The record kind, e.g. `sms-challenge`.
    static var recordKind: String { get }
    /// When the store may delete the record (`nil`, the default: never); see ``ExpiringRecord``.
    var storedExpiry: Date? { get }
}

extension StorableRecord {
    public var storedExpiry: Date? { nil }
}
