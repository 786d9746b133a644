/// The relying party a ceremony is verified for: its RP ID and the origins it serves.
public struct RelyingParty: Sendable, Hashable {
    /// The RP ID (a registrable domain such as `example.com`).
    public var id: String
    /// The exact origins (`https://login.example.com`, `android:apk-key-hash:…`) allowed in client data.
    public var origins: [String]
    /// Whether ceremonies from cross-origin iframes are accepted. Off by default.
    public var allowCrossOrigin: Bool
    /// When cross-origin calls are allowed, the top-level origins accepted; empty accepts any.
    public var topOrigins: [String]

    /// Creates a relying party.
    public init(id: String, origins: [String], allowCrossOrigin: Bool = false, topOrigins: [String] = []) {
        self.id = id
        self.origins = origins
        self.allowCrossOrigin = allowCrossOrigin
        self.topOrigins = topOrigins
    }
}
