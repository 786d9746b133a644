/// A record's kind and id.
public struct RecordKey: Sendable, Hashable {
    public var kind: String
    public var id: String

    /// Creates a key.
    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }
}
