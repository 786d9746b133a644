/// One assertion a security key made (a signature over authenticatorData ‖ clientDataHash).
public struct Assertion: Sendable, Hashable {
    /// The credential that signed.
    public var credentialID: [UInt8]
    /// The authenticator data, as signed.
    public var authenticatorData: [UInt8]
    /// The signature.
    public var signature: [UInt8]
    /// The user handle, for discoverable credentials.
    public var userHandle: [UInt8]?
    /// The account name, when the key returned it.
    public var userName: String?
    /// The signature counter.
    public var signCount: UInt32
    /// The `hmac-secret` output, when a salt was given.
    public var hmacSecret: [UInt8]?
    /// The credential's large-blob key, when the request asked for it and the credential has one.
    public var largeBlobKey: [UInt8]? = nil
}
