public import CBOR
import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import X509

extension ASN1ObjectIdentifier {
    /// `tcg-at-tpmManufacturer`, `tcg-at-tpmModel`, `tcg-at-tpmVersion`.
    static let tcgTPMManufacturer: ASN1ObjectIdentifier = [2, 23, 133, 2, 1]
    static let tcgTPMModel: ASN1ObjectIdentifier = [2, 23, 133, 2, 2]
    static let tcgTPMVersion: ASN1ObjectIdentifier = [2, 23, 133, 2, 3]
    /// `tcg-kp-AIKCertificate`: the extended key usage of a TPM attestation identity key.
    static let tcgKPAIKCertificate: ASN1ObjectIdentifier = [2, 23, 133, 8, 3]
}

/// The `tpm` attestation format (WebAuthn §8.3): a TPM 2.0 certifies the credential key
/// (`pubArea`) in a `TPMS_ATTEST` structure (`certInfo`) signed by its attestation identity key,
/// whose certificate (`x5c`) an attestation CA issued. Used by Windows Hello.
public struct TPMAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .tpm }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        // Step 1: syntax.
        guard statement["ver"]?.text == "2.0" else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm attestation statement's \"ver\" is not \"2.0\".",
                step: "§8.3 step 1"
            )
        }
        if statement["ecdaaKeyId"] != nil {
            throw WebAuthnError(
                .unsupportedAttestationFormat,
                "ECDAA tpm attestation was removed from WebAuthn and is not supported.",
                step: "§8.3"
            )
        }
        let algorithm = try self.algorithm(in: statement)
        let signature = try self.signature(in: statement)
        guard let certInfoBytes = statement["certInfo"]?.bytes, let pubAreaBytes = statement["pubArea"]?.bytes else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm attestation statement lacks byte strings \"certInfo\" and \"pubArea\".",
                step: "§8.3 step 1"
            )
        }
        guard let chain = try self.certificates(in: statement) else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "A tpm attestation statement must carry the AIK certificate in \"x5c\".",
                step: "§8.3 step 1"
            )
        }
        let publicArea: TPMPublicArea
        let certifyInfo: TPMCertifyInfo
        do {
            publicArea = try TPMPublicArea(pubAreaBytes)
        } catch {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm pubArea is not a TPMT_PUBLIC for an RSA or ECC key.",
                step: "§8.3 step 2"
            )
        }
        do {
            certifyInfo = try TPMCertifyInfo(certInfoBytes)
        } catch {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm certInfo is not a TPMS_ATTEST with certify information.",
                step: "§8.3 step 4"
            )
        }

        // Step 2: pubArea holds the credential key.
        guard Self.publicArea(publicArea, matches: context.credentialKey.verificationKey) else {
            throw WebAuthnError(
                .attestationKeyMismatch,
                "The tpm pubArea describes another key than the credential public key.",
                step: "§8.3 step 2"
            )
        }
        // Step 4: certInfo.
        guard certifyInfo.magic == TPMCertifyInfo.generatedValue else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm certInfo's magic is not TPM_GENERATED_VALUE.",
                step: "§8.3 step 4"
            )
        }
        guard certifyInfo.type == TPMCertifyInfo.attestCertify else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The tpm certInfo's type is not TPM_ST_ATTEST_CERTIFY.",
                step: "§8.3 step 4"
            )
        }
        guard algorithm.keyType != nil, algorithm != .edDSA, algorithm != .rs1 || context.allowRS1,
            let digest = Self.digest(for: algorithm)
        else {
            throw WebAuthnError(
                .unsupportedAlgorithm,
                "The tpm attestation uses \(algorithm), which is not accepted.",
                step: "§8.3 step 4"
            )
        }
        let attToBeSigned = context.authenticatorData.rawValue + context.clientDataHash
        guard certifyInfo.extraData == digest(attToBeSigned) else {
            throw WebAuthnError(
                .attestationNonceMismatch,
                "The tpm certInfo's extraData is not the hash of this registration's authenticator data and client data hash.",
                step: "§8.3 step 4"
            )
        }
        guard let nameAlgorithm = TPMHashAlgorithm(rawValue: publicArea.nameAlgorithm),
            certifyInfo.attestedName
                == [UInt8(publicArea.nameAlgorithm >> 8), UInt8(publicArea.nameAlgorithm & 0xff)]
                + nameAlgorithm.hash(publicArea.rawValue)
        else {
            throw WebAuthnError(
                .attestationKeyMismatch,
                "The tpm certInfo certifies another object than pubArea (attested name mismatch).",
                step: "§8.3 step 4"
            )
        }

        // Step 5: the AIK's signature over certInfo.
        let aik = try self.leaf(of: chain)
        guard let key = aik.signatureVerificationKey, key.supports(algorithm) else {
            throw WebAuthnError(
                .attestationAlgorithmMismatch,
                "The tpm AIK certificate's key cannot make \(algorithm) signatures.",
                step: "§8.3 step 5"
            )
        }
        guard key.isValidSignature(signature, for: certInfoBytes, algorithm: algorithm) else {
            throw WebAuthnError(
                .signatureInvalid,
                "The tpm attestation signature over certInfo does not verify.",
                step: "§8.3 step 5"
            )
        }
        try Self.checkAIKCertificate(
            aik,
            aaguid: context.credential.aaguid,
            manufacturers: context.formatPolicy.tpmManufacturers
        )
        let outcome = try await context.validatePath(chain)
        return AttestationResult(format: .tpm, type: .attCA, trustPath: outcome.path, trusted: outcome.trusted)
    }

    static func digest(for algorithm: COSEAlgorithm) -> (([UInt8]) -> [UInt8])? {
        switch algorithm {
        case .rs1: return { Array(Insecure.SHA1.hash(data: $0)) }
        case .es256, .rs256, .ps256: return { Array(SHA256.hash(data: $0)) }
        case .es384, .rs384, .ps384: return { Array(SHA384.hash(data: $0)) }
        case .es512, .rs512, .ps512: return { Array(SHA512.hash(data: $0)) }
        default: return nil
        }
    }

    /// Whether the TPM public area is the credential key: same RSA modulus and exponent, or
    /// same curve and point.
    static func publicArea(_ area: TPMPublicArea, matches key: SignatureVerificationKey) -> Bool {
        switch (area.key, key) {
        case (.rsa(let modulus, let exponent), .rsa(let rsa)):
            guard let primitives = try? rsa.getKeyPrimitives() else { return false }
            return Self.stripped(modulus) == Self.stripped(Array(primitives.modulus))
                && Self.stripped(Array(primitives.publicExponent)) == Self.stripped(Self.bigEndian(exponent))
        case (.ecc(let curve, let x, let y), .p256(let ec)):
            return curve == TPMPublicArea.eccNISTP256 && [0x04] + x + y == Array(ec.x963Representation)
        case (.ecc(let curve, let x, let y), .p384(let ec)):
            return curve == TPMPublicArea.eccNISTP384 && [0x04] + x + y == Array(ec.x963Representation)
        case (.ecc(let curve, let x, let y), .p521(let ec)):
            return curve == TPMPublicArea.eccNISTP521 && [0x04] + x + y == Array(ec.x963Representation)
        default:
            return false
        }
    }

    private static func stripped(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.drop { $0 == 0 }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// The AIK certificate requirements of WebAuthn §8.3.1.
    static func checkAIKCertificate(_ certificate: Certificate, aaguid: AAGUID, manufacturers: Set<String>)
        throws(WebAuthnError)
    {
        guard certificate.version == .v3 else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate is not an X.509 version 3 certificate.",
                step: "§8.3.1"
            )
        }
        guard certificate.subject.isEmpty else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate's subject must be empty.",
                step: "§8.3.1"
            )
        }
        let names = try Self.tpmDeviceAttributes(certificate)
        guard let manufacturer = names[.tcgTPMManufacturer], names[.tcgTPMModel] != nil, names[.tcgTPMVersion] != nil
        else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate's subject alternative name lacks the TPM manufacturer, model or version.",
                step: "§8.3.1"
            )
        }
        guard manufacturers.contains(where: { $0.caseInsensitiveCompare(manufacturer) == .orderedSame }) else {
            throw WebAuthnError(
                .attestationPolicyViolation,
                "The tpm AIK certificate names TPM manufacturer \"\(manufacturer)\", which is not in the accepted vendor list.",
                step: "§8.3.1"
            )
        }
        let usages: ExtendedKeyUsage?
        do {
            usages = try certificate.extensions.extendedKeyUsage
        } catch {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate's extended key usage does not parse.",
                step: "§8.3.1"
            )
        }
        guard let usages, usages.contains(ExtendedKeyUsage.Usage(oid: .tcgKPAIKCertificate)) else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate's extended key usage lacks tcg-kp-AIKCertificate (2.23.133.8.3).",
                step: "§8.3.1"
            )
        }
        guard !certificate.isCertificateAuthority else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate is a CA certificate; its basic constraints must say CA false.",
                step: "§8.3.1"
            )
        }
        try certificate.checkAAGUIDExtension(matches: aaguid)
    }

    /// The TPM manufacturer, model and version from the subject alternative name's directory
    /// name. Attributes are read whether each sits in its own RDN (as the TCG EK profile says) or
    /// all share one (as some TPMs write them).
    static func tpmDeviceAttributes(_ certificate: Certificate) throws(WebAuthnError) -> [ASN1ObjectIdentifier: String]
    {
        let names: SubjectAlternativeNames?
        do {
            names = try certificate.extensions.subjectAlternativeNames
        } catch {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate's subject alternative name does not parse.",
                step: "§8.3.1"
            )
        }
        guard let names else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The tpm AIK certificate has no subject alternative name.",
                step: "§8.3.1"
            )
        }
        var attributes: [ASN1ObjectIdentifier: String] = [:]
        for name in names {
            guard case .directoryName(let directory) = name else { continue }
            for rdn in directory {
                for attribute in rdn {
                    attributes[attribute.type] = String(describing: attribute.value)
                }
            }
        }
        return attributes
    }
}
