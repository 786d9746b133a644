import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway attestation PKI: a root CA and attestation leaf certificates it issues, for
/// packed and fido-u2f statements.
struct TestAttestationCA: @unchecked Sendable {
    let rootKey: P256.Signing.PrivateKey
    let root: Certificate
    static let now = Date()

    init(name: String = "FIDOKit Test Root CA") throws {
        self.rootKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName("SE")
            OrganizationName("FIDOKit Tests")
            CommonName(name)
        }
        self.root = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(self.rootKey.publicKey),
            notValidBefore: Self.now.addingTimeInterval(-86_400),
            notValidAfter: Self.now.addingTimeInterval(86_400 * 3650),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(self.rootKey)
        )
    }

    /// What to put in an attestation certificate; each field can be broken by a test.
    struct LeafOptions {
        var country: String? = "SE"
        var organization: String? = "FIDOKit"
        var organizationalUnit: String? = "Authenticator Attestation"
        var commonName: String? = "FIDOKit Test Key"
        var aaguidExtension: [UInt8]? = nil
        var aaguidExtensionCritical = false
        var isCA = false
        var version: Certificate.Version = .v3
        var notValidBefore = TestAttestationCA.now.addingTimeInterval(-3600)
        var notValidAfter = TestAttestationCA.now.addingTimeInterval(86_400 * 365)
    }

    /// Issues an attestation certificate for `key`.
    func issue(for key: P256.Signing.PublicKey, _ options: LeafOptions = LeafOptions()) throws -> Certificate {
        let subject = try DistinguishedName {
            if let country = options.country { CountryName(country) }
            if let organization = options.organization { OrganizationName(organization) }
            if let unit = options.organizationalUnit { OrganizationalUnitName(unit) }
            if let name = options.commonName { CommonName(name) }
        }
        var extensions = try Certificate.Extensions {
            Critical(options.isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority)
        }
        if let aaguid = options.aaguidExtension {
            try extensions.append(
                Certificate.Extension(
                    oid: [1, 3, 6, 1, 4, 1, 45724, 1, 1, 4],
                    critical: options.aaguidExtensionCritical,
                    value: ArraySlice([0x04, UInt8(aaguid.count)] + aaguid)
                )
            )
        }
        return try Certificate(
            version: options.version,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key),
            notValidBefore: options.notValidBefore,
            notValidAfter: options.notValidAfter,
            issuer: self.root.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(self.rootKey)
        )
    }

    /// Issues a certificate with exactly the given subject and extensions.
    func issue(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        extensions: Certificate.Extensions,
        version: Certificate.Version = .v3,
        notValidBefore: Date = TestAttestationCA.now.addingTimeInterval(-3600),
        notValidAfter: Date = TestAttestationCA.now.addingTimeInterval(86_400 * 365)
    ) throws -> Certificate {
        try Certificate(
            version: version,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: self.root.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(self.rootKey)
        )
    }

    static func der(_ certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
