import Crypto
import CryptoExtras
import Foundation

/// PIN/UV auth protocols one and two (CTAP 2.1 §6.5.6, §6.5.7), the authenticator side:
/// shared secret from ECDH, AES-256-CBC encryption, HMAC-SHA-256 authentication.
enum PINProtocol: Int, Sendable {
    case one = 1
    case two = 2

    /// The shared secret from the ECDH output's x coordinate.
    func sharedSecret(_ x: [UInt8]) -> [UInt8] {
        switch self {
        case .one:
            return Array(SHA256.hash(data: x))
        case .two:
            let salt = [UInt8](repeating: 0, count: 32)
            let hmacKey = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: x),
                salt: salt,
                info: Array("CTAP2 HMAC key".utf8),
                outputByteCount: 32
            )
            let aesKey = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: x),
                salt: salt,
                info: Array("CTAP2 AES key".utf8),
                outputByteCount: 32
            )
            return hmacKey.withUnsafeBytes { Array($0) } + aesKey.withUnsafeBytes { Array($0) }
        }
    }

    private func aesKey(_ secret: [UInt8]) -> SymmetricKey {
        SymmetricKey(data: self == .one ? secret : Array(secret[32...]))
    }

    private func hmacKey(_ secret: [UInt8]) -> [UInt8] {
        self == .one ? secret : Array(secret[0..<32])
    }

    func encrypt(_ secret: [UInt8], _ plaintext: [UInt8]) throws -> [UInt8] {
        switch self {
        case .one:
            let iv = try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
            return Array(try AES._CBC.encrypt(plaintext, using: self.aesKey(secret), iv: iv, noPadding: true))
        case .two:
            let ivBytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
            let iv = try AES._CBC.IV(ivBytes: ivBytes)
            return ivBytes + Array(try AES._CBC.encrypt(plaintext, using: self.aesKey(secret), iv: iv, noPadding: true))
        }
    }

    func decrypt(_ secret: [UInt8], _ ciphertext: [UInt8]) throws -> [UInt8] {
        switch self {
        case .one:
            guard ciphertext.count % 16 == 0 else { throw CTAPStatus.invalidLength }
            let iv = try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
            return Array(try AES._CBC.decrypt(ciphertext, using: self.aesKey(secret), iv: iv, noPadding: true))
        case .two:
            guard ciphertext.count >= 32, ciphertext.count % 16 == 0 else { throw CTAPStatus.invalidLength }
            let iv = try AES._CBC.IV(ivBytes: ciphertext[0..<16])
            return Array(try AES._CBC.decrypt(ciphertext[16...], using: self.aesKey(secret), iv: iv, noPadding: true))
        }
    }

    /// HMAC-SHA-256, truncated to 16 bytes in protocol one.
    func authenticate(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: self.hmacKey(key))))
        return self == .one ? Array(mac[0..<16]) : mac
    }

    /// Authentication with a pinUvAuthToken (the token itself is the HMAC key).
    func authenticate(token: [UInt8], _ message: [UInt8]) -> [UInt8] {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: token)))
        return self == .one ? Array(mac[0..<16]) : mac
    }

    /// Constant-time comparison of a received MAC with the expected one.
    static func matches(_ received: [UInt8], _ expected: [UInt8]) -> Bool {
        guard received.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(received, expected) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
