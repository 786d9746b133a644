/// Why a metadata BLOB was refused or could not be read. The cached BLOB, if any, is untouched.
public struct MetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The BLOB is not a JWS with the MDS3 payload.
        case malformed = "metadata_malformed"
        /// The JWS signature does not verify with its certificate.
        case signatureInvalid = "metadata_signature_invalid"
        /// The signing certificate does not chain to the metadata trust anchor.
        case untrusted = "metadata_untrusted"
        /// The BLOB's `nextUpdate` has passed: a newer one should exist.
        case expired = "metadata_expired"
        /// The BLOB's serial number is lower than the cached one's.
        case rollback = "metadata_rollback"
        /// The BLOB could not be read or fetched, or the cache not written.
        case unavailable = "metadata_unavailable"
    }

    /// What went wrong.
    public var code: Code
    /// A sentence saying what and why.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code.rawValue): \(self.message)" }

    /// Two errors are equal when their codes are.
    public static func == (lhs: MetadataError, rhs: MetadataError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
