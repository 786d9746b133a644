import Crypto
import CryptoExtras
import SwiftASN1
public import X509

extension ASN1ObjectIdentifier {
    /// `id-fido-gen-ce-aaguid` (1.3.6.1.4.1.45724.1.1.4): the AAGUID an attestation certificate vouches for.
    static let fidoGenCEAAGUID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 45724, 1, 1, 4]
}

extension Certificate {
    /// The certificate's public key as a signature-checking key, or `nil` for a key type
    /// WebAuthn attestation does not use.
    public var signatureVerificationKey: SignatureVerificationKey? {
        if let key = P256.Signing.PublicKey(self.publicKey) { return .p256(key) }
        if let key = P384.Signing.PublicKey(self.publicKey) { return .p384(key) }
        if let key = P521.Signing.PublicKey(self.publicKey) { return .p521(key) }
        if let key = Curve25519.Signing.PublicKey(self.publicKey) { return .ed25519(key) }
        if let key = _RSA.Signing.PublicKey(self.publicKey) { return .rsa(key) }
        return nil
    }

    /// Checks the `id-fido-gen-ce-aaguid` extension when present: it must not be critical and
    /// must hold the same AAGUID as the authenticator data (WebAuthn §8.2.1, §8.3.1).
    func checkAAGUIDExtension(matches aaguid: AAGUID) throws(WebAuthnError) {
        guard let ext = self.extensions[oid: .fidoGenCEAAGUID] else { return }
        guard !ext.critical else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate marks its AAGUID extension critical, which WebAuthn forbids.",
                step: "§8.2.1"
            )
        }
        let value: [UInt8]
        do {
            value = Array(try ASN1OctetString(derEncoded: ext.value).bytes)
        } catch {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The attestation certificate's AAGUID extension is not a DER OCTET STRING.",
                step: "§8.2.1"
            )
        }
        guard value == aaguid.bytes else {
            throw WebAuthnError(
                .aaguidMismatch,
                "The attestation certificate vouches for another authenticator model than the AAGUID \(aaguid) in the authenticator data.",
                step: "§8.2.1"
            )
        }
    }

    /// Whether the certificate's basic constraints say it is a CA.
    var isCertificateAuthority: Bool {
        guard let constraints = try? self.extensions.basicConstraints else { return false }
        if case .isCertificateAuthority = constraints { return true }
        return false
    }

    /// The values of one attribute type in the subject.
    func subjectValues(_ type: ASN1ObjectIdentifier) -> [String] {
        self.subject.flatMap { rdn in rdn.filter { $0.type == type }.map { String(describing: $0.value) } }
    }
}
