public import CBOR
public import Foundation
import SwiftASN1
public import X509

/// What an attestation statement verifier needs besides the statement itself.
public struct AttestationContext: Sendable {
    /// The authenticator data from the attestation object.
    public var authenticatorData: AuthenticatorData
    /// The attested credential data (always present during registration).
    public var credential: AttestedCredentialData
    /// The credential public key, already parsed.
    public var credentialKey: COSEKey
    /// SHA-256 of clientDataJSON.
    public var clientDataHash: [UInt8]
    /// Certificates that attestation paths may chain to, for this statement's format and
    /// authenticator model. Empty means "check everything but trust nothing".
    public var trustAnchors: [Certificate]
    /// Whether a path that reaches none of ``trustAnchors`` is an error (`attestation_untrusted`):
    /// true when the caller chose the anchors, false when they are only the bundled defaults.
    public var anchorsRequired: Bool
    /// The instant at which certificates must be valid.
    public var verificationTime: Date
    /// Whether a certificate outside its validity period is an error (`certificate_expired`): true
    /// when the caller chose anchors or a verification time.
    public var enforceValidityPeriod: Bool
    /// Whether RS1 (SHA-1) attestation signatures are accepted.
    public var allowRS1: Bool
    /// Format-specific rules (Android Key Attestation, SafetyNet, TPM).
    public var formatPolicy: AttestationFormatPolicy
    /// The whole registration policy, for statements that contain other statements (`compound`).
    public var policy: RegistrationPolicy

    /// Validates `chain` (leaf first) with this context's anchors, time and strictness.
    public func validatePath(_ chain: [Certificate]) async throws(WebAuthnError) -> CertificatePathValidator.Outcome {
        try await CertificatePathValidator(
            trustAnchors: self.trustAnchors,
            verificationTime: self.verificationTime,
            enforceValidityPeriod: self.enforceValidityPeriod,
            requireAnchor: self.anchorsRequired
        ).validate(chain)
    }
}

/// What an attestation statement proved.
public struct AttestationResult: Sendable, Hashable {
    /// The statement's format.
    public var format: AttestationFormat
    /// The attestation type it established.
    public var type: AttestationType
    /// The certificate path from the attestation certificate towards the anchor (leaf first);
    /// empty for `none` and `self`.
    public var trustPath: [Certificate]
    /// Whether the path chains to one of the caller's trust anchors.
    public var trusted: Bool
    /// For `compound`: the result of each contained statement, in order.
    public var components: [AttestationResult] = []
    /// What the metadata service says about the authenticator model, when it knows it.
    public var metadata: AuthenticatorMetadata? = nil

    /// Creates a result.
    public init(format: AttestationFormat, type: AttestationType, trustPath: [Certificate] = [], trusted: Bool = false)
    {
        self.format = format
        self.type = type
        self.trustPath = trustPath
        self.trusted = trusted
    }
}

/// Verifies one attestation statement format (WebAuthn §8).
///
/// Implementations check the statement's syntax and signature and every certificate
/// requirement of their format, and build the trust path; they throw ``WebAuthnError`` for any
/// check that fails.
public protocol AttestationStatementVerifier: Sendable {
    /// The format this verifier handles.
    var format: AttestationFormat { get }

    /// Verifies `statement` in `context`.
    func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult

    /// Verifies the statement as decoded (a map for every format but `compound`). The default
    /// requires a map and calls ``verify(statement:context:)``.
    func verify(statementValue: CBORValue, context: AttestationContext) async throws(WebAuthnError)
        -> AttestationResult
}

extension AttestationStatementVerifier {
    public func verify(statementValue: CBORValue, context: AttestationContext) async throws(WebAuthnError)
        -> AttestationResult
    {
        guard let map = statementValue.mapValue else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The \(self.format) attestation statement is not a map."
            )
        }
        return try await self.verify(statement: map, context: context)
    }

    /// Reads the statement's `alg` as a COSE algorithm.
    func algorithm(in statement: CBORMap) throws(WebAuthnError) -> COSEAlgorithm {
        guard let value = statement["alg"]?.integer else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The \(self.format) attestation statement has no integer \"alg\"."
            )
        }
        return COSEAlgorithm(value)
    }

    /// The key of the attestation certificate `certificate`, when `algorithm` is accepted and the
    /// key can make its signatures.
    func attestationKey(
        _ certificate: Certificate,
        algorithm: COSEAlgorithm,
        context: AttestationContext,
        step: String
    ) throws(WebAuthnError) -> SignatureVerificationKey {
        guard algorithm.keyType != nil, algorithm != .rs1 || context.allowRS1 else {
            throw WebAuthnError(
                .unsupportedAlgorithm,
                "The \(self.format) attestation uses \(algorithm), which is not accepted."
            )
        }
        guard let key = certificate.signatureVerificationKey, key.supports(algorithm) else {
            throw WebAuthnError(
                .attestationAlgorithmMismatch,
                "The \(self.format) attestation certificate's key cannot make \(algorithm) signatures.",
                step: step
            )
        }
        return key
    }

    /// Reads the statement's `sig`.
    func signature(in statement: CBORMap) throws(WebAuthnError) -> [UInt8] {
        guard let value = statement["sig"]?.bytes else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The \(self.format) attestation statement has no byte string \"sig\"."
            )
        }
        return value
    }

    /// Rejects a certificate whose signature BIT STRING claims unused bits. X.509 signatures are
    /// whole octets (RFC 5280 §4.1.1.3); swift-certificates verifies the bytes and ignores the
    /// count, so without this check a certificate could be re-encoded without breaking its signature.
    static func checkOctetAlignedSignature(_ der: [UInt8]) throws(WebAuthnError) {
        do {
            let root = try DER.parse(der)
            guard case .constructed(let children) = root.content else {
                throw ASN1Error.unexpectedFieldType(root.identifier)
            }
            var iterator = children.makeIterator()
            _ = iterator.next()
            _ = iterator.next()
            guard let signature = iterator.next() else { throw ASN1Error.invalidASN1Object(reason: "no signature") }
            guard try ASN1BitString(derEncoded: signature).paddingBits == 0 else {
                throw WebAuthnError(
                    .malformedCertificate,
                    "An attestation certificate's signature is not a whole number of bytes."
                )
            }
        } catch let error as WebAuthnError {
            throw error
        } catch {
            throw WebAuthnError(.malformedCertificate, "An attestation certificate is not valid DER X.509.")
        }
    }

    /// Reads and parses the statement's `x5c`, or returns `nil` when it is absent.
    func certificates(in statement: CBORMap) throws(WebAuthnError) -> [Certificate]? {
        guard let value = statement["x5c"] else { return nil }
        guard let elements = value.arrayValue, !elements.isEmpty else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The \(self.format) attestation statement's \"x5c\" is not a non-empty array."
            )
        }
        var certificates: [Certificate] = []
        for element in elements {
            guard let der = element.bytes else {
                throw WebAuthnError(
                    .malformedAttestationStatement,
                    "An \"x5c\" entry of the \(self.format) attestation statement is not a byte string."
                )
            }
            certificates.append(try Self.certificate(derEncoded: der))
        }
        return certificates
    }

    /// The first certificate of an `x5c` chain, the one whose key signed the statement; an
    /// empty chain is a malformed statement (``certificates(in:)`` never returns one).
    func leaf(of chain: [Certificate]) throws(WebAuthnError) -> Certificate {
        guard let leaf = chain.first else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The \(self.format) attestation statement's certificate chain is empty."
            )
        }
        return leaf
    }

    /// Parses one attestation certificate, refusing signatures that are not whole octets.
    static func certificate(derEncoded der: [UInt8]) throws(WebAuthnError) -> Certificate {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw WebAuthnError(.malformedCertificate, "An attestation certificate is not valid DER X.509.")
        }
        try Self.checkOctetAlignedSignature(der)
        return certificate
    }
}
