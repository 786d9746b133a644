import Crypto
import CryptoExtras
import Foundation
import WebAuthn
import X509

/// A credential private key of the software authenticator the tests use.
enum TestKey: @unchecked Sendable {
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey, COSEAlgorithm)

    /// RSA key generation is slow; tests share one 2048-bit key.
    static let sharedRSA: _RSA.Signing.PrivateKey = {
        // swift-format-ignore: NeverUseForceTry
        try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    }()

    static func make(_ algorithm: COSEAlgorithm) -> TestKey {
        switch algorithm {
        case .es384: return .p384(P384.Signing.PrivateKey())
        case .es512: return .p521(P521.Signing.PrivateKey())
        case .edDSA: return .ed25519(Curve25519.Signing.PrivateKey())
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512, .rs1: return .rsa(sharedRSA, algorithm)
        default: return .p256(P256.Signing.PrivateKey())
        }
    }

    var algorithm: COSEAlgorithm {
        switch self {
        case .p256: return .es256
        case .p384: return .es384
        case .p521: return .es512
        case .ed25519: return .edDSA
        case .rsa(_, let algorithm): return algorithm
        }
    }

    /// The public key as COSE_Key bytes.
    var cosePublicKey: [UInt8] {
        switch self {
        case .p256(let key): return COSEKey(p256: key.publicKey).encoded
        case .ed25519(let key): return COSEKey(ed25519: key.publicKey).encoded
        case .rsa(let key, let algorithm): return (try? COSEKey(rsa: key.publicKey, algorithm: algorithm).encoded) ?? []
        case .p384(let key): return COSEKey(p384: key.publicKey).encoded
        case .p521(let key): return COSEKey(p521: key.publicKey).encoded
        }
    }

    /// The public key as an X.509 SubjectPublicKeyInfo.
    var certificatePublicKey: Certificate.PublicKey {
        switch self {
        case .p256(let key): return Certificate.PublicKey(key.publicKey)
        case .p384(let key): return Certificate.PublicKey(key.publicKey)
        case .p521(let key): return Certificate.PublicKey(key.publicKey)
        case .ed25519(let key): return Certificate.PublicKey(key.publicKey)
        case .rsa(let key, _): return Certificate.PublicKey(key.publicKey)
        }
    }

    /// Signs `data` in the algorithm's wire encoding.
    func sign(_ data: [UInt8]) -> [UInt8] {
        do {
            switch self {
            case .p256(let key): return Array(try key.signature(for: data).derRepresentation)
            case .p384(let key): return Array(try key.signature(for: data).derRepresentation)
            case .p521(let key): return Array(try key.signature(for: data).derRepresentation)
            case .ed25519(let key): return Array(try key.signature(for: data))
            case .rsa(let key, let algorithm):
                let signature: _RSA.Signing.RSASignature
                switch algorithm {
                case .rs384: signature = try key.signature(for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5)
                case .rs512: signature = try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
                case .ps256: signature = try key.signature(for: SHA256.hash(data: data), padding: .PSS)
                case .ps384: signature = try key.signature(for: SHA384.hash(data: data), padding: .PSS)
                case .ps512: signature = try key.signature(for: SHA512.hash(data: data), padding: .PSS)
                case .rs1: signature = try key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
                default: signature = try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
                }
                return Array(signature.rawRepresentation)
            }
        } catch {
            return []
        }
    }
}

/// A tiny ordered CBOR map writer for test data, so tests can build maps the library's
/// encoder would refuse to write (wrong order, odd values).
struct CBORMapLiteral: ExpressibleByArrayLiteral {
    enum Value {
        case int(Int)
        case bytes([UInt8])
        case text(String)
        case raw([UInt8])
    }

    var entries: [(Int, Value)]
    init(arrayLiteral elements: (Int, Value)...) { self.entries = elements }
    init(_ elements: [(Int, Value)]) { self.entries = elements }

    var encoded: [UInt8] {
        var output: [UInt8] = [0xa0 | UInt8(self.entries.count)]
        for (key, value) in self.entries {
            output += CBORMapLiteral.int(key)
            switch value {
            case .int(let number): output += CBORMapLiteral.int(number)
            case .bytes(let bytes): output += CBORMapLiteral.head(2, UInt64(bytes.count)) + bytes
            case .text(let text): output += CBORMapLiteral.head(3, UInt64(text.utf8.count)) + Array(text.utf8)
            case .raw(let raw): output += raw
            }
        }
        return output
    }

    static func int(_ value: Int) -> [UInt8] {
        value >= 0 ? head(0, UInt64(value)) : head(1, UInt64(-1 - value))
    }

    static func head(_ major: UInt8, _ argument: UInt64) -> [UInt8] {
        let type = major << 5
        switch argument {
        case 0..<24: return [type | UInt8(argument)]
        case 24...0xff: return [type | 24, UInt8(argument)]
        case 0x100...0xffff: return [type | 25, UInt8(argument >> 8), UInt8(argument & 0xff)]
        default:
            return [type | 26, UInt8(argument >> 24 & 0xff), UInt8(argument >> 16 & 0xff), UInt8(argument >> 8 & 0xff), UInt8(argument & 0xff)]
        }
    }
}
