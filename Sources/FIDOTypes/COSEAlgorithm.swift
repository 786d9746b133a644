/// A COSE algorithm identifier (IANA "COSE Algorithms" registry).
///
/// A `RawRepresentable` struct rather than an enum, so an identifier this library does not know
/// survives parsing and can be reported by number.
public struct COSEAlgorithm: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// ECDSA over P-256 with SHA-256.
    public static let es256 = COSEAlgorithm(-7)
    /// ECDSA over P-384 with SHA-384.
    public static let es384 = COSEAlgorithm(-35)
    /// ECDSA over P-521 with SHA-512.
    public static let es512 = COSEAlgorithm(-36)
    /// EdDSA (Ed25519 in WebAuthn).
    public static let edDSA = COSEAlgorithm(-8)
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = COSEAlgorithm(-257)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = COSEAlgorithm(-258)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = COSEAlgorithm(-259)
    /// RSASSA-PSS with SHA-256.
    public static let ps256 = COSEAlgorithm(-37)
    /// RSASSA-PSS with SHA-384.
    public static let ps384 = COSEAlgorithm(-38)
    /// RSASSA-PSS with SHA-512.
    public static let ps512 = COSEAlgorithm(-39)
    /// RSASSA-PKCS1-v1_5 with SHA-1. Insecure; accepted only when a caller opts in.
    public static let rs1 = COSEAlgorithm(-65535)

    /// The algorithms a relying party accepts by default, strongest and most common first.
    public static let defaultAllowed: [COSEAlgorithm] = [
        .es256, .edDSA, .es384, .es512, .ps256, .ps384, .ps512, .rs256, .rs384, .rs512,
    ]

    /// The key type this algorithm needs.
    public var keyType: COSEKeyType? {
        switch self {
        case .es256, .es384, .es512: return .ec2
        case .edDSA: return .okp
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512, .rs1: return .rsa
        default: return nil
        }
    }

    /// The curve an EC2 or OKP algorithm is bound to.
    public var curve: COSECurve? {
        switch self {
        case .es256: return .p256
        case .es384: return .p384
        case .es512: return .p521
        case .edDSA: return .ed25519
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .es256: return "ES256"
        case .es384: return "ES384"
        case .es512: return "ES512"
        case .edDSA: return "EdDSA"
        case .rs256: return "RS256"
        case .rs384: return "RS384"
        case .rs512: return "RS512"
        case .ps256: return "PS256"
        case .ps384: return "PS384"
        case .ps512: return "PS512"
        case .rs1: return "RS1"
        default: return "COSE algorithm \(self.rawValue)"
        }
    }
}

/// A COSE key type (`kty`, RFC 9053).
public struct COSEKeyType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Octet key pair (Ed25519).
    public static let okp = COSEKeyType(rawValue: 1)
    /// Elliptic curve with x and y coordinates.
    public static let ec2 = COSEKeyType(rawValue: 2)
    /// RSA.
    public static let rsa = COSEKeyType(rawValue: 3)

    public var description: String {
        switch self {
        case .okp: return "OKP"
        case .ec2: return "EC2"
        case .rsa: return "RSA"
        default: return "key type \(self.rawValue)"
        }
    }
}

/// A COSE elliptic curve (`crv`, RFC 9053).
public struct COSECurve: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let p256 = COSECurve(rawValue: 1)
    public static let p384 = COSECurve(rawValue: 2)
    public static let p521 = COSECurve(rawValue: 3)
    public static let ed25519 = COSECurve(rawValue: 6)

    /// The byte length of one coordinate.
    package var coordinateLength: Int? {
        switch self {
        case .p256, .ed25519: return 32
        case .p384: return 48
        case .p521: return 66
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .p256: return "P-256"
        case .p384: return "P-384"
        case .p521: return "P-521"
        case .ed25519: return "Ed25519"
        default: return "curve \(self.rawValue)"
        }
    }
}
