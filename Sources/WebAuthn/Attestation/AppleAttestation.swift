public import CBOR
import Crypto
import SwiftASN1
import X509

extension ASN1ObjectIdentifier {
    /// Apple's anonymous attestation nonce extension (1.2.840.113635.100.8.2).
    static let appleAttestationNonce: ASN1ObjectIdentifier = [1, 2, 840, 113_635, 100, 8, 2]
}

/// The `apple` anonymous attestation format (WebAuthn §8.8): Apple's anonymization CA issues a
/// certificate for the credential key itself, with a nonce extension binding it to this
/// registration. The Apple WebAuthn Root CA is the default anchor.
public struct AppleAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .apple }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        guard let chain = try self.certificates(in: statement) else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "An apple attestation statement must carry its certificates in \"x5c\".",
                step: "§8.8 step 1"
            )
        }
        let credentialCertificate = try self.leaf(of: chain)
        // Steps 2–4: nonce = SHA-256(authenticatorData ‖ clientDataHash) in the extension.
        let expected = Array(SHA256.hash(data: context.authenticatorData.rawValue + context.clientDataHash))
        guard let nonce = try Self.nonce(in: credentialCertificate) else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The apple credential certificate has no nonce extension (1.2.840.113635.100.8.2).",
                step: "§8.8 step 3"
            )
        }
        guard nonce == expected else {
            throw WebAuthnError(
                .attestationNonceMismatch,
                "The apple credential certificate's nonce is not SHA-256 of this registration's authenticator data and client data hash.",
                step: "§8.8 step 4"
            )
        }
        // Step 5: the certificate is for the credential key.
        guard let certificateKey = credentialCertificate.signatureVerificationKey,
            certificateKey.isSameKey(as: context.credentialKey.verificationKey)
        else {
            throw WebAuthnError(
                .attestationKeyMismatch,
                "The apple credential certificate is for another key than the credential public key.",
                step: "§8.8 step 5"
            )
        }
        let outcome = try await context.validatePath(chain)
        return AttestationResult(format: .apple, type: .anonCA, trustPath: outcome.path, trusted: outcome.trusted)
    }

    /// The nonce: `SEQUENCE { [1] EXPLICIT OCTET STRING }`.
    static func nonce(in certificate: Certificate) throws(WebAuthnError) -> [UInt8]? {
        guard let ext = certificate.extensions[oid: .appleAttestationNonce] else { return nil }
        do {
            let root = try DER.parse(ext.value)
            guard case .constructed(let children) = root.content, root.identifier == .sequence else {
                throw ASN1Error.unexpectedFieldType(root.identifier)
            }
            var iterator = children.makeIterator()
            guard let tagged = iterator.next(), iterator.next() == nil,
                tagged.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific),
                case .constructed(let inner) = tagged.content
            else { throw ASN1Error.invalidASN1Object(reason: "nonce is not [1] EXPLICIT") }
            var innerIterator = inner.makeIterator()
            guard let octets = innerIterator.next(), innerIterator.next() == nil else {
                throw ASN1Error.invalidASN1Object(reason: "nonce holds more than one element")
            }
            return Array(try ASN1OctetString(derEncoded: octets).bytes)
        } catch {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The apple credential certificate's nonce extension is not SEQUENCE { [1] OCTET STRING }.",
                step: "§8.8 step 3"
            )
        }
    }
}
