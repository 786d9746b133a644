public import Foundation

/// A record that is worthless after a time (a challenge, a code, a session): stored with that
/// time, so ``RecordStore/deleteExpired(before:)`` can remove it. Its expiry is fixed when it is
/// stored.
public protocol ExpiringRecord: StorableRecord {
    /// When the record stops being good for anything.
    var expiresAt: Date { get }
}

extension ExpiringRecord {
    public var storedExpiry: Date? { self.expiresAt }
}
