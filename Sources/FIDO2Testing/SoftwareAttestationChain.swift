import Crypto
import Foundation
import SwiftASN1
import X509

/// The attestation PKI of a ``SoftwareAuthenticator``: a self-signed root and an attestation
/// certificate meeting WebAuthn §8.2.1 (C, O, OU "Authenticator Attestation", CN, CA false, the
/// model's AAGUID in id-fido-gen-ce-aaguid).
struct SoftwareAttestationChain {
    let root: Certificate
    let leafKey: P256.Signing.PrivateKey
    let leafDER: [UInt8]

    init(root: Certificate, leafKey: P256.Signing.PrivateKey, leafDER: [UInt8]) {
        self.root = root
        self.leafKey = leafKey
        self.leafDER = leafDER
    }

    init(aaguid: [UInt8]) throws {
        let rootKey = P256.Signing.PrivateKey()
        let now = Date()
        let rootName = try DistinguishedName {
            CountryName("SE")
            OrganizationName("FIDOKit")
            CommonName("FIDOKit Software Authenticator Root CA")
        }
        self.root = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(rootKey.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400),
            notValidAfter: now.addingTimeInterval(86_400 * 3650),
            issuer: rootName,
            subject: rootName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(rootKey)
        )
        self.leafKey = P256.Signing.PrivateKey()
        let leafName = try DistinguishedName {
            CountryName("SE")
            OrganizationName("FIDOKit")
            OrganizationalUnitName("Authenticator Attestation")
            CommonName("FIDOKit Software Authenticator")
        }
        var extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
        }
        try extensions.append(
            Certificate.Extension(
                oid: [1, 3, 6, 1, 4, 1, 45724, 1, 1, 4],
                critical: false,
                value: ArraySlice([0x04, UInt8(aaguid.count)] + aaguid)
            )
        )
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(self.leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400 * 3650),
            issuer: rootName,
            subject: leafName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(rootKey)
        )
        var serializer = DER.Serializer()
        try serializer.serialize(leaf)
        self.leafDER = serializer.serializedBytes
    }
}
