/// What an authenticator says about itself (CTAP2 `authenticatorGetInfo`).
public struct AuthenticatorInfo: Sendable, Hashable {
    /// Protocol versions (`FIDO_2_0`, `FIDO_2_1`, `U2F_V2`, …).
    public var versions: [String]
    /// Supported extensions (`hmac-secret`, `credProtect`, `credBlob`, `largeBlobKey`, `minPinLength`, …).
    public var extensions: [String]
    /// The authenticator model.
    public var aaguid: AAGUID?
    /// Options and their current state (`rk`, `up`, `uv`, `clientPin`, `credMgmt`, `bioEnroll`, `alwaysUv`, …).
    public var options: [String: Bool]
    /// The largest CTAP message the authenticator accepts.
    public var maxMessageSize: UInt64
    /// PIN/UV auth protocols, preferred first.
    public var pinProtocols: [UInt8]
    /// Transports (`usb`, `nfc`, …).
    public var transports: [String]
    /// Supported credential algorithms.
    public var algorithms: [COSEAlgorithm]
    /// Firmware version, as the authenticator encodes it.
    public var firmwareVersion: UInt64
    /// How many more discoverable credentials fit, when reported.
    public var remainingDiscoverableCredentials: Int64?
    /// The minimum PIN length.
    public var minPINLength: UInt64
    /// The most credential ids in an allow or exclude list.
    public var maxCredentialCountInList: UInt64
    /// The longest credential id.
    public var maxCredentialIDLength: UInt64
    /// Whether the PIN must be changed before use.
    public var forcePINChange: Bool
    /// The largest serialized large-blob array the key stores; 0 when it has no large-blob storage.
    public var maxLargeBlobArraySize: UInt64

    /// Whether the option `name` is present and on.
    public func option(_ name: String) -> Bool? {
        self.options[name]
    }
}
