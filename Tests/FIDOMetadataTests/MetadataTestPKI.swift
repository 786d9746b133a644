import Crypto
import FIDOMetadata
import Foundation
import WebAuthn
import X509

/// A metadata service made in the test: a root standing in for GlobalSign R3, a signing
/// certificate standing in for mds.fidoalliance.org, and BLOBs it signs.
struct MetadataTestPKI: @unchecked Sendable {
    let rootKey = P256.Signing.PrivateKey()
    let signingKey = P256.Signing.PrivateKey()
    let root: Certificate
    let signer: Certificate
    static let now = Date()

    init(name: String = "FIDOKit Test Metadata Root") throws {
        let rootName = try DistinguishedName { CommonName(name) }
        self.root = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(self.rootKey.publicKey),
            notValidBefore: Self.now.addingTimeInterval(-86_400),
            notValidAfter: Self.now.addingTimeInterval(86_400 * 3650),
            issuer: rootName,
            subject: rootName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(self.rootKey)
        )
        self.signer = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(self.signingKey.publicKey),
            notValidBefore: Self.now.addingTimeInterval(-3600),
            notValidAfter: Self.now.addingTimeInterval(86_400 * 365),
            issuer: rootName,
            subject: try DistinguishedName { CommonName("mds.fidokit.test") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
            issuerPrivateKey: Certificate.PrivateKey(self.rootKey)
        )
    }

    /// `YYYY-MM-DD` for `days` from now.
    static func day(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Self.now.addingTimeInterval(Double(days) * 86_400))
    }

    func blob(number: Int = 7, nextUpdate: String = MetadataTestPKI.day(30), entries: [AuthenticatorMetadata]) throws -> [UInt8] {
        try MetadataBLOBWriter(number: number, nextUpdate: nextUpdate, legalHeader: "Test legal header", entries: entries)
            .signed(with: self.signingKey, chain: [self.signer])
    }

    static let goodAAGUID = AAGUID("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73")!
    static let revokedAAGUID = AAGUID("00000000-0000-0000-0000-00000000dead")!

    static func entries(attestationRoot: Certificate? = nil) -> [AuthenticatorMetadata] {
        [
            AuthenticatorMetadata(
                aaguid: goodAAGUID,
                description: "FIDOKit Test Key",
                icon: "data:image/png;base64,iVBORw0KGgo=",
                attestationRootCertificates: attestationRoot.map { [$0] } ?? [],
                attestationTypes: ["basic_full"],
                statusReports: [AuthenticatorStatusReport(status: .fidoCertified, effectiveDate: "2024-01-01")]
            ),
            AuthenticatorMetadata(
                aaguid: revokedAAGUID,
                description: "Revoked Test Key",
                statusReports: [
                    AuthenticatorStatusReport(status: .fidoCertified, effectiveDate: "2020-01-01"),
                    AuthenticatorStatusReport(status: .attestationKeyCompromise, effectiveDate: "2023-05-01"),
                ]
            ),
            AuthenticatorMetadata(
                attestationCertificateKeyIdentifiers: ["923881fe2f214ee465484371aeb72e97f5a58e0a"],
                description: "FIDOKit Test U2F Key",
                attestationTypes: ["basic_full"]
            ),
        ]
    }
}
