import CBOR
import Crypto
import WebAuthn
import X509

/// Builds `android-key` attestation statements: a certificate from a test CA standing in for
/// the Android keystore's chain, with a KeyDescription extension; each field breaks one
/// requirement of WebAuthn §8.4.
struct AndroidKeyStatement {
    var ca: TestAttestationCA
    /// Replaces the client data hash as attestationChallenge.
    var challenge: [UInt8]? = nil
    var teeAllApplications = false
    var softwareAllApplications = false
    var origin = 0
    var purposes = [2]
    /// Put origin and purpose in softwareEnforced instead of teeEnforced.
    var softwareEnforcedOnly = false
    var omitExtension = false
    var rawExtension: [UInt8]? = nil
    /// Certify this key instead of the credential key.
    var certifiedKey: TestKey? = nil

    func keyDescription(clientDataHash: [UInt8]) -> [UInt8] {
        let authorizations =
            DERTestEncoding.tagged(1, DERTestEncoding.set(self.purposes.flatMap(DERTestEncoding.integer)))
            + DERTestEncoding.tagged(702, DERTestEncoding.integer(self.origin))
        func list(holdsAuthorizations: Bool, allApplications: Bool) -> [UInt8] {
            DERTestEncoding.sequence(
                (holdsAuthorizations ? authorizations : [])
                    + (allApplications ? DERTestEncoding.tagged(600, DERTestEncoding.null) : [])
            )
        }
        return DERTestEncoding.sequence(
            DERTestEncoding.integer(3) + DERTestEncoding.enumerated(1) + DERTestEncoding.integer(4)
                + DERTestEncoding.enumerated(1) + DERTestEncoding.octetString(self.challenge ?? clientDataHash)
                + DERTestEncoding.octetString([])
                + list(holdsAuthorizations: self.softwareEnforcedOnly, allApplications: self.softwareAllApplications)
                + list(holdsAuthorizations: !self.softwareEnforcedOnly, allApplications: self.teeAllApplications)
        )
    }

    var attestation: TestAuthenticator.Attestation {
        .custom(format: "android-key") { authData, clientDataHash, key in
            var extensions = try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) }
            if !self.omitExtension {
                let value = self.rawExtension ?? self.keyDescription(clientDataHash: clientDataHash)
                try extensions.append(
                    Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 11129, 2, 1, 17], critical: false, value: value[...])
                )
            }
            let leaf = try self.ca.issue(
                publicKey: (self.certifiedKey ?? key).certificatePublicKey,
                subject: try DistinguishedName { CommonName("Android Keystore Key") },
                extensions: extensions
            )
            return .map([
                "alg": CBORValue(key.algorithm.rawValue),
                "sig": .byteString((self.certifiedKey ?? key).sign(authData + clientDataHash)),
                "x5c": .array([.byteString(TestAttestationCA.der(leaf))]),
            ])
        }
    }
}
