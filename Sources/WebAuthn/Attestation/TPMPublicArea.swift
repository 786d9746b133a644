import Crypto

/// `TPMT_PUBLIC` (TPM 2.0 Part 2 §12.2.4): the public area of the key the TPM certified, as
/// WebAuthn's `pubArea`. Only RSA and ECC keys, the types WebAuthn uses, are read.
struct TPMPublicArea {
    /// `TPMI_ALG_PUBLIC`.
    enum KeyType: UInt16 {
        case rsa = 0x0001
        case ecc = 0x0023
    }

    /// The key the area describes.
    enum Key: Equatable {
        /// Modulus (big-endian) and public exponent.
        case rsa(modulus: [UInt8], exponent: UInt32)
        /// `TPM_ECC_CURVE` and the point's coordinates.
        case ecc(curve: UInt16, x: [UInt8], y: [UInt8])
    }

    /// `TPMI_ALG_HASH` of the object's name.
    var nameAlgorithm: UInt16
    var objectAttributes: UInt32
    var key: Key
    /// The encoded structure, as hashed into the object's name.
    var rawValue: [UInt8]

    static let eccNISTP256: UInt16 = 0x0003
    static let eccNISTP384: UInt16 = 0x0004
    static let eccNISTP521: UInt16 = 0x0005

    init(_ bytes: [UInt8]) throws(TPMByteReader.Truncated) {
        var reader = TPMByteReader(bytes)
        let type = try reader.uint16()
        self.nameAlgorithm = try reader.uint16()
        self.objectAttributes = try reader.uint32()
        _ = try reader.sized()  // authPolicy
        switch KeyType(rawValue: type) {
        case .rsa:
            _ = try reader.uint16()  // symmetric
            _ = try reader.uint16()  // scheme
            _ = try reader.uint16()  // keyBits
            let exponent = try reader.uint32()
            self.key = .rsa(modulus: try reader.sized(), exponent: exponent == 0 ? 65_537 : exponent)
        case .ecc:
            _ = try reader.uint16()  // symmetric
            _ = try reader.uint16()  // scheme
            let curve = try reader.uint16()
            _ = try reader.uint16()  // kdf
            self.key = .ecc(curve: curve, x: try reader.sized(), y: try reader.sized())
        case nil:
            throw TPMByteReader.Truncated()
        }
        try reader.requireEnd()
        self.rawValue = bytes
    }
}

/// A TPM hash algorithm (`TPM_ALG_ID`) that names objects.
enum TPMHashAlgorithm: UInt16 {
    case sha1 = 0x0004
    case sha256 = 0x000B
    case sha384 = 0x000C
    case sha512 = 0x000D

    func hash(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: data))
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha384: return Array(SHA384.hash(data: data))
        case .sha512: return Array(SHA512.hash(data: data))
        }
    }
}
