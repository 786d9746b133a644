import Crypto

/// The HMAC hash of an OTP generator (RFC 6238 §1.2).
public enum OTPAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha1 = "SHA1"
    case sha256 = "SHA256"
    case sha512 = "SHA512"

    /// Reads `SHA1`, `sha256`, … (any case).
    public init(name: String) throws(OTPError) {
        guard let algorithm = OTPAlgorithm(rawValue: name.uppercased()) else { throw .unsupportedAlgorithm(name) }
        self = algorithm
    }

    func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }
}
