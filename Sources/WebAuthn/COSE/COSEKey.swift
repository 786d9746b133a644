public import CBOR
public import Crypto
public import CryptoExtras
import Foundation

/// A credential public key in COSE_Key form (RFC 9052 §7, WebAuthn §6.5.1.1), parsed into a
/// swift-crypto key that checks signatures.
///
/// Parsing rejects keys whose key type, curve and algorithm disagree, EC points that are not on
/// their curve, compressed points, RSA moduli under 2048 bits, and RS1 unless the caller opts in.
/// ``encoded`` keeps the exact bytes, which is what a server stores.
public struct COSEKey: Sendable, Hashable {
    /// Parsing switches.
    public struct Options: Sendable, Hashable {
        /// Accept RS1 (RSASSA-PKCS1-v1_5 with SHA-1). Off by default.
        public var allowRS1: Bool
        /// Creates options.
        public init(allowRS1: Bool = false) {
            self.allowRS1 = allowRS1
        }
    }

    /// The algorithm the key is bound to (COSE label 3).
    public let algorithm: COSEAlgorithm
    /// The key type (COSE label 1).
    public let keyType: COSEKeyType
    /// The curve, for EC2 and OKP keys.
    public let curve: COSECurve?
    /// The key as swift-crypto sees it.
    public let verificationKey: SignatureVerificationKey
    /// The COSE_Key bytes.
    public let encoded: [UInt8]

    /// Parses a CBOR-encoded COSE_Key that fills `bytes`.
    public init(cbor bytes: some Collection<UInt8>, options: Options = Options()) throws(WebAuthnError) {
        let array = Array(bytes)
        let value: CBORValue
        do {
            value = try CBORDecoder(options: .strict).decode(array)
        } catch {
            throw WebAuthnError(.malformedPublicKey, "The credential public key is not valid CBOR (\(error.reason)).")
        }
        try self.init(value: value, encoded: array, options: options)
    }

    /// Parses an already decoded COSE_Key whose encoding is `encoded`.
    public init(value: CBORValue, encoded: [UInt8], options: Options = Options()) throws(WebAuthnError) {
        guard let map = value.mapValue else {
            throw WebAuthnError(.malformedPublicKey, "The credential public key is not a CBOR map.")
        }
        guard let keyTypeValue = map[1]?.integer else {
            throw WebAuthnError(.malformedPublicKey, "The credential public key has no key type (kty).")
        }
        guard let algorithmValue = map[3]?.integer else {
            throw WebAuthnError(.malformedPublicKey, "The credential public key has no algorithm (alg).")
        }
        let keyType = COSEKeyType(rawValue: keyTypeValue)
        let algorithm = COSEAlgorithm(algorithmValue)
        guard let requiredKeyType = algorithm.keyType else {
            throw WebAuthnError(
                .unsupportedAlgorithm,
                "The credential uses \(algorithm), which this verifier does not support."
            )
        }
        if algorithm == .rs1 && !options.allowRS1 {
            throw WebAuthnError(.unsupportedAlgorithm, "The credential uses RS1 (SHA-1), which is not allowed.")
        }
        guard requiredKeyType == keyType else {
            throw WebAuthnError(
                .keyAlgorithmMismatch,
                "The credential key is of type \(keyType) but its algorithm \(algorithm) needs \(requiredKeyType)."
            )
        }
        self.algorithm = algorithm
        self.keyType = keyType
        self.encoded = encoded

        switch keyType {
        case .ec2, .okp:
            guard let curveValue = map[-1]?.integer else {
                throw WebAuthnError(.malformedPublicKey, "The credential public key has no curve (crv).")
            }
            let curve = COSECurve(rawValue: curveValue)
            guard curve == algorithm.curve, let length = curve.coordinateLength else {
                throw WebAuthnError(
                    .keyAlgorithmMismatch,
                    "The credential key is on \(curve) but its algorithm \(algorithm) needs \(algorithm.curve?.description ?? "another curve")."
                )
            }
            self.curve = curve
            guard let x = map[-2]?.bytes, x.count == length else {
                throw WebAuthnError(
                    .malformedPublicKey,
                    "The credential key's x coordinate is missing or not \(length) bytes."
                )
            }
            if keyType == .okp {
                do {
                    self.verificationKey = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: x))
                } catch {
                    throw WebAuthnError(.invalidCurvePoint, "The credential's Ed25519 key is not a valid point.")
                }
                return
            }
            guard let y = map[-3]?.bytes, y.count == length else {
                throw WebAuthnError(
                    .malformedPublicKey,
                    "The credential key's y coordinate is missing, compressed, or not \(length) bytes."
                )
            }
            let point = [0x04] + x + y
            do {
                switch curve {
                case .p256: self.verificationKey = .p256(try P256.Signing.PublicKey(x963Representation: point))
                case .p384: self.verificationKey = .p384(try P384.Signing.PublicKey(x963Representation: point))
                default: self.verificationKey = .p521(try P521.Signing.PublicKey(x963Representation: point))
                }
            } catch {
                throw WebAuthnError(.invalidCurvePoint, "The credential key's point is not on \(curve).")
            }
        default:
            self.curve = nil
            guard let modulus = map[-1]?.bytes, let exponent = map[-2]?.bytes, !modulus.isEmpty, !exponent.isEmpty
            else {
                throw WebAuthnError(
                    .malformedPublicKey,
                    "The credential's RSA key lacks its modulus (n) or exponent (e)."
                )
            }
            let bits = Self.bitLength(of: modulus)
            guard bits >= 2048 else {
                throw WebAuthnError(
                    .weakKey,
                    "The credential's RSA modulus has \(bits) bits; at least 2048 are required."
                )
            }
            do {
                self.verificationKey = .rsa(try _RSA.Signing.PublicKey(n: modulus, e: exponent))
            } catch {
                throw WebAuthnError(.malformedPublicKey, "The credential's RSA key is not a valid RSA public key.")
            }
        }
    }

    /// Wraps a P-256 key as an ES256 COSE_Key.
    public init(p256 key: P256.Signing.PublicKey) {
        let map = Self.ec2Map(point: Array(key.x963Representation), curve: .p256, algorithm: .es256)
        self.init(trusted: .p256(key), algorithm: .es256, keyType: .ec2, curve: .p256, map: map)
    }

    /// Wraps a P-384 key as an ES384 COSE_Key.
    public init(p384 key: P384.Signing.PublicKey) {
        let map = Self.ec2Map(point: Array(key.x963Representation), curve: .p384, algorithm: .es384)
        self.init(trusted: .p384(key), algorithm: .es384, keyType: .ec2, curve: .p384, map: map)
    }

    /// Wraps a P-521 key as an ES512 COSE_Key.
    public init(p521 key: P521.Signing.PublicKey) {
        let map = Self.ec2Map(point: Array(key.x963Representation), curve: .p521, algorithm: .es512)
        self.init(trusted: .p521(key), algorithm: .es512, keyType: .ec2, curve: .p521, map: map)
    }

    /// The EC2 COSE_Key map of an uncompressed point `04 || x || y`.
    private static func ec2Map(point: [UInt8], curve: COSECurve, algorithm: COSEAlgorithm) -> CBORMap {
        let half = (point.count - 1) / 2
        return [
            1: CBORValue(COSEKeyType.ec2.rawValue), 3: CBORValue(algorithm.rawValue), -1: CBORValue(curve.rawValue),
            -2: .byteString(Array(point[1...half])), -3: .byteString(Array(point[(half + 1)...])),
        ]
    }

    /// Wraps an Ed25519 key as an EdDSA COSE_Key.
    public init(ed25519 key: Curve25519.Signing.PublicKey) {
        let map: CBORMap = [1: 1, 3: -8, -1: 6, -2: .byteString(Array(key.rawRepresentation))]
        self.init(trusted: .ed25519(key), algorithm: .edDSA, keyType: .okp, curve: .ed25519, map: map)
    }

    /// Wraps an RSA key as a COSE_Key for `algorithm` (RS256, PS256, …).
    public init(rsa key: _RSA.Signing.PublicKey, algorithm: COSEAlgorithm = .rs256) throws {
        let primitives = try key.getKeyPrimitives()
        let map: CBORMap = [
            1: 3, 3: CBORValue(algorithm.rawValue),
            -1: .byteString(Array(primitives.modulus)), -2: .byteString(Array(primitives.publicExponent)),
        ]
        self.init(trusted: .rsa(key), algorithm: algorithm, keyType: .rsa, curve: nil, map: map)
    }

    private init(
        trusted key: SignatureVerificationKey,
        algorithm: COSEAlgorithm,
        keyType: COSEKeyType,
        curve: COSECurve?,
        map: CBORMap
    ) {
        self.verificationKey = key
        self.algorithm = algorithm
        self.keyType = keyType
        self.curve = curve
        self.encoded = CBOREncoder().encode(.map(map))
    }

    /// Checks a signature made by the credential over `data`, in the algorithm's wire encoding.
    public func isValidSignature(_ signature: [UInt8], for data: [UInt8]) -> Bool {
        self.verificationKey.isValidSignature(signature, for: data, algorithm: self.algorithm)
    }

    public static func == (lhs: COSEKey, rhs: COSEKey) -> Bool {
        lhs.encoded == rhs.encoded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.encoded)
    }

    static func bitLength(of bigEndian: [UInt8]) -> Int {
        guard let first = bigEndian.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bigEndian.count - first - 1) * 8 + (8 - bigEndian[first].leadingZeroBitCount)
    }
}
