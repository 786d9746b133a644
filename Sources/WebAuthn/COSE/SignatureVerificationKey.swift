public import Crypto
public import CryptoExtras
import Foundation

/// A public key that checks signatures, in the wire encoding each COSE algorithm uses:
/// DER-encoded ECDSA signatures, raw 64-byte Ed25519 signatures, and RSA PKCS#1 v1.5 or PSS.
public enum SignatureVerificationKey: Sendable {
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)
    case rsa(_RSA.Signing.PublicKey)

    /// Checks `signature` over `data` with `algorithm`. Returns `false` for any mismatch between
    /// the key and the algorithm, a malformed signature, or a wrong signature.
    public func isValidSignature(_ signature: [UInt8], for data: [UInt8], algorithm: COSEAlgorithm) -> Bool {
        switch (self, algorithm) {
        case (.p256(let key), .es256):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: data)
        case (.p384(let key), .es384):
            guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: data)
        case (.p521(let key), .es512):
            guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: data)
        case (.ed25519(let key), .edDSA):
            return key.isValidSignature(signature, for: data)
        case (.rsa(let key), _):
            let parsed = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch algorithm {
            case .rs256: return key.isValidSignature(parsed, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case .rs384: return key.isValidSignature(parsed, for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5)
            case .rs512: return key.isValidSignature(parsed, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            case .ps256: return key.isValidSignature(parsed, for: SHA256.hash(data: data), padding: .PSS)
            case .ps384: return key.isValidSignature(parsed, for: SHA384.hash(data: data), padding: .PSS)
            case .ps512: return key.isValidSignature(parsed, for: SHA512.hash(data: data), padding: .PSS)
            case .rs1:
                return key.isValidSignature(parsed, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            default: return false
            }
        default:
            return false
        }
    }

    /// Whether this key can be used with `algorithm` at all.
    public func supports(_ algorithm: COSEAlgorithm) -> Bool {
        switch (self, algorithm) {
        case (.p256, .es256), (.p384, .es384), (.p521, .es512), (.ed25519, .edDSA): return true
        case (.rsa, _): return algorithm.keyType == .rsa
        default: return false
        }
    }

    /// The DER SubjectPublicKeyInfo of the key.
    public var subjectPublicKeyInfo: [UInt8] {
        switch self {
        case .p256(let key): return Array(key.derRepresentation)
        case .p384(let key): return Array(key.derRepresentation)
        case .p521(let key): return Array(key.derRepresentation)
        case .ed25519(let key):
            // SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING key }
            return [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
                + Array(key.rawRepresentation)
        case .rsa(let key): return Array(key.derRepresentation)
        }
    }

    /// Whether two keys are the same key (same type and same public value).
    public func isSameKey(as other: SignatureVerificationKey) -> Bool {
        self.subjectPublicKeyInfo == other.subjectPublicKeyInfo
    }
}
