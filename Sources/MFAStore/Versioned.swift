/// A record as read or written at one version.
public struct Versioned<Record: StorableRecord>: Sendable {
    public var record: Record
    public var version: Int

    /// Pairs a record with its version.
    public init(record: Record, version: Int) {
        self.record = record
        self.version = version
    }
}
