import CBOR
import Crypto
import SwiftASN1
import WebAuthn
import X509

/// Builds `apple` attestation statements from a test CA standing in for Apple's anonymization CA;
/// each field breaks one requirement of WebAuthn §8.8.
struct AppleStatement {
    var ca: TestAttestationCA
    /// Replaces SHA-256(authData ‖ clientDataHash) in the nonce extension.
    var nonce: [UInt8]? = nil
    var omitNonceExtension = false
    /// The extension's value, verbatim, instead of `SEQUENCE { [1] OCTET STRING nonce }`.
    var rawNonceExtension: [UInt8]? = nil
    /// Certify this key instead of the credential key.
    var certifiedKey: TestKey? = nil

    var attestation: TestAuthenticator.Attestation {
        .custom(format: "apple") { authData, clientDataHash, key in
            let nonce = self.nonce ?? Array(SHA256.hash(data: authData + clientDataHash))
            var extensions = try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) }
            if !self.omitNonceExtension {
                let value =
                    self.rawNonceExtension ?? DERTestEncoding.sequence(DERTestEncoding.tagged(1, DERTestEncoding.octetString(nonce)))
                try extensions.append(Certificate.Extension(oid: [1, 2, 840, 113_635, 100, 8, 2], critical: false, value: value[...]))
            }
            let leaf = try self.ca.issue(
                publicKey: (self.certifiedKey ?? key).certificatePublicKey,
                subject: try DistinguishedName { CommonName("FIDOKit Test Credential") },
                extensions: extensions
            )
            return .map(["x5c": .array([.byteString(TestAttestationCA.der(leaf))])])
        }
    }
}

/// Hand-written DER for test extensions whose structure the tests want to control byte by byte.
enum DERTestEncoding {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        if count <= 0xff { return [0x81, UInt8(count)] }
        return [0x82, UInt8(count >> 8), UInt8(count & 0xff)]
    }

    static func element(_ tag: [UInt8], _ content: [UInt8]) -> [UInt8] {
        tag + Self.length(content.count) + content
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { Self.element([0x30], content) }
    static func set(_ content: [UInt8]) -> [UInt8] { Self.element([0x31], content) }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { Self.element([0x04], bytes) }
    static let null: [UInt8] = [0x05, 0x00]

    static func integer(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var remaining = value
        repeat {
            bytes.insert(UInt8(remaining & 0xff), at: 0)
            remaining >>= 8
        } while remaining > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return Self.element([0x02], bytes)
    }

    static func enumerated(_ value: Int) -> [UInt8] { Self.element([0x0a], [UInt8(value)]) }

    /// `[number] EXPLICIT`, context-specific and constructed, in high-tag form when needed.
    static func tagged(_ number: Int, _ content: [UInt8]) -> [UInt8] {
        if number < 31 { return Self.element([0xa0 | UInt8(number)], content) }
        var digits: [UInt8] = []
        var remaining = number
        repeat {
            digits.insert(UInt8(remaining & 0x7f), at: 0)
            remaining >>= 7
        } while remaining > 0
        for index in digits.indices.dropLast() { digits[index] |= 0x80 }
        return Self.element([0xbf] + digits, content)
    }
}
