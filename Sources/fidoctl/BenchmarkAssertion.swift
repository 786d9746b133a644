import Crypto
import CryptoExtras
import Foundation
import WebAuthn

/// A signed assertion made by a software key, for benchmarks: the response a browser would send,
/// the stored key a server holds, and the raw parts a bare signature check needs.
struct BenchmarkAssertion: Sendable {
    static let rpID = "bench.fidokit.test"
    static let origin = "https://bench.fidokit.test"

    var response: AuthenticationResponseJSON
    var challenge: [UInt8]
    var publicKey: COSEKey
    var signedData: [UInt8]
    var signature: [UInt8]

    /// A fresh credential key and one assertion signed by it.
    static func make(
        _ algorithm: COSEAlgorithm,
        rsaKey: _RSA.Signing.PrivateKey? = nil,
        p256Key: P256.Signing.PrivateKey? = nil,
        counter: UInt32 = 42
    ) throws
        -> BenchmarkAssertion
    {
        let challenge = Challenge.random()
        let credentialID = Challenge.random(count: 16)
        let clientData = CollectedClientData(
            type: "webauthn.get",
            challenge: Base64URL.encode(challenge),
            origin: origin
        ).jsonBytes
        var authData = Array(SHA256.hash(data: Array(rpID.utf8)))
        authData += [
            0x05, UInt8(counter >> 24), UInt8(counter >> 16 & 0xff), UInt8(counter >> 8 & 0xff), UInt8(counter & 0xff),
        ]
        let signedData = authData + Array(SHA256.hash(data: clientData))
        let signature: [UInt8]
        let publicKey: COSEKey
        switch algorithm {
        case .edDSA:
            let key = Curve25519.Signing.PrivateKey()
            signature = Array(try key.signature(for: signedData))
            publicKey = COSEKey(ed25519: key.publicKey)
        case .rs256:
            let key = try rsaKey ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
            signature = Array(
                try key.signature(for: SHA256.hash(data: signedData), padding: .insecurePKCS1v1_5).rawRepresentation
            )
            publicKey = try COSEKey(rsa: key.publicKey, algorithm: .rs256)
        default:
            let key = p256Key ?? P256.Signing.PrivateKey()
            signature = Array(try key.signature(for: signedData).derRepresentation)
            publicKey = COSEKey(p256: key.publicKey)
        }
        let response = AuthenticationResponseJSON(
            rawID: credentialID,
            response: .init(clientDataJSON: clientData, authenticatorData: authData, signature: signature)
        )
        return BenchmarkAssertion(
            response: response,
            challenge: challenge,
            publicKey: publicKey,
            signedData: signedData,
            signature: signature
        )
    }

    /// The bare swift-crypto check of the same signature over the same bytes.
    func bareCheck() -> Bool {
        switch self.publicKey.verificationKey {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: self.signature) else { return false }
            return key.isValidSignature(parsed, for: self.signedData)
        case .ed25519(let key):
            return key.isValidSignature(self.signature, for: self.signedData)
        case .rsa(let key):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: self.signature),
                for: SHA256.hash(data: self.signedData),
                padding: .insecurePKCS1v1_5
            )
        default:
            return false
        }
    }
}
