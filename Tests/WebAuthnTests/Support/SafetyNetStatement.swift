import CBOR
import Crypto
import Foundation
import WebAuthn
import X509

/// Builds `android-safetynet` attestation statements: a compact JWS signed by a certificate for
/// attest.android.com from a test CA. Each field breaks one requirement of WebAuthn §8.5.
struct SafetyNetStatement {
    var ca: TestAttestationCA
    var version = "214815022"
    var nonce: String? = nil
    var ctsProfileMatch: Bool? = true
    var timestamp = TestAttestationCA.now
    var hostname = "attest.android.com"
    var algorithm = "ES256"
    var omitX5C = false
    var breakSignature = false
    var payloadOverride: String? = nil

    static let signingKey = P256.Signing.PrivateKey()

    func jws(authData: [UInt8], clientDataHash: [UInt8]) throws -> [UInt8] {
        let leaf = try self.ca.issue(
            publicKey: Certificate.PublicKey(Self.signingKey.publicKey),
            subject: try DistinguishedName { CommonName(self.hostname) },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName(self.hostname)])
            }
        )
        let x5c = self.omitX5C ? "" : ",\"x5c\":[\"\(Data(TestAttestationCA.der(leaf)).base64EncodedString())\"]"
        let header = "{\"alg\":\"\(self.algorithm)\"\(x5c)}"
        let nonce = self.nonce ?? Data(SHA256.hash(data: authData + clientDataHash)).base64EncodedString()
        var payload = "{\"nonce\":\"\(nonce)\",\"timestampMs\":\(Int64(self.timestamp.timeIntervalSince1970 * 1000))"
        payload += ",\"apkPackageName\":\"com.google.android.gms\",\"basicIntegrity\":true"
        if let cts = self.ctsProfileMatch { payload += ",\"ctsProfileMatch\":\(cts)" }
        payload += "}"
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array((self.payloadOverride ?? payload).utf8))
        var signature = Array(try Self.signingKey.signature(for: Array(signingInput.utf8)).rawRepresentation)
        if self.breakSignature { signature[0] ^= 1 }
        return Array((signingInput + "." + Base64URL.encode(signature)).utf8)
    }

    var attestation: TestAuthenticator.Attestation {
        .custom(format: "android-safetynet") { authData, clientDataHash, _ in
            .map(["ver": .textString(self.version), "response": .byteString(try self.jws(authData: authData, clientDataHash: clientDataHash))])
        }
    }
}
