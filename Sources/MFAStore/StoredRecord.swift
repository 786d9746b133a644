public import Foundation

/// A stored record: a JSON document of one kind, owned by a member or tenant, with a version
/// that every write increments.
public struct StoredRecord: Sendable, Hashable {
    public var kind: String
    public var id: String
    public var owner: String
    public var data: Data
    public var version: Int

    /// Creates a record value.
    public init(kind: String, id: String, owner: String, data: Data, version: Int) {
        self.kind = kind
        self.id = id
        self.owner = owner
        self.data = data
        self.version = version
    }
}
