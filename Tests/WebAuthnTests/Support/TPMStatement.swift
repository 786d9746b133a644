import CBOR
import Crypto
import CryptoExtras
import SwiftASN1
import WebAuthn
import X509

/// Builds `tpm` attestation statements as a TPM 2.0 would: a `TPMT_PUBLIC` for the credential
/// key, a `TPMS_ATTEST` certifying it, signed by an AIK whose certificate a test attestation CA
/// issued. Each field breaks one requirement of WebAuthn §8.3.
struct TPMStatement {
    var ca: TestAttestationCA
    var version = "2.0"
    var magic: UInt32 = 0xff54_4347
    var type: UInt16 = 0x8017
    var extraData: [UInt8]? = nil
    /// Replaces the attested name (nameAlg ‖ H(pubArea)).
    var attestedName: [UInt8]? = nil
    /// Describe this key in pubArea instead of the credential key.
    var publicAreaKey: TestKey? = nil
    var trailingPublicAreaBytes: [UInt8] = []
    var nameAlgorithm: UInt16 = 0x000B
    /// The AIK's signature algorithm: ES256 (P-256 AIK) or RS256 (RSA AIK).
    var aikAlgorithm: COSEAlgorithm = .es256
    // AIK certificate.
    var subjectCommonName: String? = nil
    var manufacturer = "id:FFFFF1D0"
    /// Leave the TPM model and version out of the SAN (the manufacturer stays).
    var omitModelAndVersion = false
    var omitSubjectAlternativeName = false
    /// Put manufacturer, model and version in one RDN (as some TPMs do) instead of one each.
    var attributesInOneRDN = false
    var extendedKeyUsage = true
    var isCA = false
    var aaguidExtension: [UInt8]? = nil
    var certificateVersion: Certificate.Version = .v3

    static let aikKey = P256.Signing.PrivateKey()

    func publicArea(for key: TestKey) throws -> [UInt8] {
        var area: [UInt8]
        switch key {
        case .p256(let privateKey):
            let point = Array(privateKey.publicKey.x963Representation)
            area = Self.u16(0x0023) + Self.u16(self.nameAlgorithm) + Self.u32(0x0006_0472) + Self.u16(0)
            area += Self.u16(0x0010) + Self.u16(0x0018) + Self.u16(0x0003) + Self.u16(0x0010)
            area += Self.sized(Array(point[1...32])) + Self.sized(Array(point[33...64]))
        case .rsa(let privateKey, _):
            let primitives = try privateKey.publicKey.getKeyPrimitives()
            area = Self.u16(0x0001) + Self.u16(self.nameAlgorithm) + Self.u32(0x0006_0472) + Self.u16(0)
            area += Self.u16(0x0010) + Self.u16(0x0014) + Self.u16(2048) + Self.u32(0)  // exponent 0 = 65537
            area += Self.sized(Array(primitives.modulus))
        default:
            throw TPMStatementError.unsupportedKey
        }
        return area + self.trailingPublicAreaBytes
    }

    func certifyInfo(publicArea: [UInt8], extraData: [UInt8]) -> [UInt8] {
        let name = self.attestedName ?? (Self.u16(self.nameAlgorithm) + Array(SHA256.hash(data: publicArea)))
        return Self.u32(self.magic) + Self.u16(self.type) + Self.sized(Self.u16(0x000B) + Array(repeating: 0xaa, count: 32))
            + Self.sized(extraData) + Array(repeating: 0, count: 17) + Self.u32(0) + Self.u32(1)
            + Self.sized(name) + Self.sized(Self.u16(0x000B) + Array(repeating: 0xbb, count: 32))
    }

    func aikCertificate() throws -> Certificate {
        var attributes: [RelativeDistinguishedName.Attribute] = [
            .init(type: [2, 23, 133, 2, 1], utf8String: self.manufacturer)
        ]
        if !self.omitModelAndVersion {
            attributes += [
                .init(type: [2, 23, 133, 2, 2], utf8String: "FIDOKit TPM"),
                .init(type: [2, 23, 133, 2, 3], utf8String: "id:13"),
            ]
        }
        let directory =
            self.attributesInOneRDN
            ? DistinguishedName([RelativeDistinguishedName(attributes)])
            : DistinguishedName(attributes.map { RelativeDistinguishedName($0) })
        var extensions = try Certificate.Extensions {
            Critical(self.isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority)
        }
        if !self.omitSubjectAlternativeName {
            try extensions.append(Certificate.Extension(SubjectAlternativeNames([.directoryName(directory)]), critical: true))
        }
        if self.extendedKeyUsage {
            try extensions.append(Certificate.Extension(try ExtendedKeyUsage([.init(oid: [2, 23, 133, 8, 3])]), critical: false))
        }
        if let aaguid = self.aaguidExtension {
            try extensions.append(
                Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 45724, 1, 1, 4], critical: false, value: ArraySlice(DERTestEncoding.octetString(aaguid)))
            )
        }
        let subject = try DistinguishedName { if let name = self.subjectCommonName { CommonName(name) } }
        let publicKey: Certificate.PublicKey =
            self.aikAlgorithm == .rs256 ? Certificate.PublicKey(TestKey.sharedRSA.publicKey) : Certificate.PublicKey(Self.aikKey.publicKey)
        return try self.ca.issue(publicKey: publicKey, subject: subject, extensions: extensions, version: self.certificateVersion)
    }

    var attestation: TestAuthenticator.Attestation {
        .custom(format: "tpm") { authData, clientDataHash, key in
            let area = try self.publicArea(for: self.publicAreaKey ?? key)
            let info = self.certifyInfo(publicArea: area, extraData: self.extraData ?? Array(SHA256.hash(data: authData + clientDataHash)))
            let signer: TestKey = self.aikAlgorithm == .rs256 ? .rsa(TestKey.sharedRSA, .rs256) : .p256(Self.aikKey)
            return .map([
                "ver": .textString(self.version), "alg": CBORValue(self.aikAlgorithm.rawValue),
                "x5c": .array([.byteString(TestAttestationCA.der(try self.aikCertificate()))]),
                "sig": .byteString(signer.sign(info)), "certInfo": .byteString(info), "pubArea": .byteString(area),
            ])
        }
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
    static func u32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
    static func sized(_ bytes: [UInt8]) -> [UInt8] { Self.u16(UInt16(bytes.count)) + bytes }
}

enum TPMStatementError: Error { case unsupportedKey }
