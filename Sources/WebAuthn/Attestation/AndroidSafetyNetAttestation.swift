public import CBOR
import Crypto
import Foundation
import X509

/// The `android-safetynet` attestation format (WebAuthn §8.5): a SafetyNet attestation (a JWS
/// from Google Play services, signed for `attest.android.com`) whose nonce binds it to this
/// registration. SafetyNet is retired; the format remains for credentials made while it ran.
public struct AndroidSafetyNetAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .androidSafetyNet }

    /// The host name SafetyNet's signing certificate is issued to.
    static let hostname = "attest.android.com"

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        guard let version = statement["ver"]?.text, !version.isEmpty else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The android-safetynet statement has no \"ver\".",
                step: "§8.5 step 1"
            )
        }
        guard let response = statement["response"]?.bytes else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The android-safetynet statement has no byte string \"response\".",
                step: "§8.5 step 1"
            )
        }
        let jws = try CompactJWS(response)
        guard let chain = jws.certificateChain, !chain.isEmpty else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The SafetyNet response's header carries no \"x5c\" certificates.",
                step: "§8.5 step 3"
            )
        }
        var certificates: [Certificate] = []
        for der in chain { certificates.append(try Self.certificate(derEncoded: der)) }
        let leaf = try self.leaf(of: certificates)
        // Step 3: the JWS signature, by the leaf, for attest.android.com.
        guard let key = leaf.signatureVerificationKey, jws.verify(with: key) else {
            throw WebAuthnError(
                .signatureInvalid,
                "The SafetyNet response's JWS signature does not verify with its certificate.",
                step: "§8.5 step 3"
            )
        }
        guard Self.isIssued(leaf, to: Self.hostname) else {
            throw WebAuthnError(
                .attestationCertificateInvalid,
                "The SafetyNet signing certificate is not issued to \(Self.hostname).",
                step: "§8.5 step 4"
            )
        }
        let payload = try JSONFields(try JSONNode.parse(jws.payload), path: "SafetyNet payload")
        // Step 2: nonce = base64(SHA-256(authenticatorData ‖ clientDataHash)).
        let expectedNonce = Data(SHA256.hash(data: context.authenticatorData.rawValue + context.clientDataHash))
            .base64EncodedString()
        guard try payload.string("nonce") == expectedNonce else {
            throw WebAuthnError(
                .attestationNonceMismatch,
                "The SafetyNet nonce is not the hash of this registration's authenticator data and client data hash.",
                step: "§8.5 step 2"
            )
        }
        if context.formatPolicy.safetyNetRequiresCTSProfileMatch {
            guard try payload.optionalBool("ctsProfileMatch") == true else {
                throw WebAuthnError(
                    .attestationPolicyViolation,
                    "SafetyNet says the device failed Android compatibility testing (ctsProfileMatch is not true).",
                    step: "§8.5 step 5"
                )
            }
        }
        guard let timestamp = try payload.optionalInteger("timestampMs", as: Int64.self) else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "The SafetyNet payload has no integer \"timestampMs\".",
                step: "§8.5 step 5"
            )
        }
        let issued = Date(timeIntervalSince1970: Double(timestamp) / 1000)
        let now = context.verificationTime
        guard issued <= now.addingTimeInterval(context.formatPolicy.safetyNetClockSkew),
            issued >= now.addingTimeInterval(-context.formatPolicy.safetyNetMaximumAge)
        else {
            throw WebAuthnError(
                .attestationPolicyViolation,
                "The SafetyNet attestation was made at \(issued), outside the accepted window around \(now).",
                step: "§8.5 step 5"
            )
        }
        let outcome = try await context.validatePath(certificates)
        return AttestationResult(
            format: .androidSafetyNet,
            type: .basic,
            trustPath: outcome.path,
            trusted: outcome.trusted
        )
    }

    /// Whether `certificate` names `hostname` as a DNS subject alternative name or, lacking
    /// those, as its subject common name.
    static func isIssued(_ certificate: Certificate, to hostname: String) -> Bool {
        if let names = try? certificate.extensions.subjectAlternativeNames {
            let dnsNames = names.compactMap { name -> String? in
                if case .dnsName(let value) = name { return value }
                return nil
            }
            if !dnsNames.isEmpty { return dnsNames.contains(hostname) }
        }
        return certificate.subjectValues(.RDNAttributeType.commonName) == [hostname]
    }
}
