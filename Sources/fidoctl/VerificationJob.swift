import FIDOMetadata
import Foundation
import WebAuthn
import X509

/// One verification to run: the options of `fidoctl verify registration|authentication` or of
/// one `verify batch` line, with the response still undecoded.
struct VerificationJob: Sendable {
    enum Kind: String, Sendable, Decodable {
        case registration
        case authentication
    }

    var id: String?
    var kind: Kind
    var rpID: String
    var origins: [String]
    var challenge: String
    var requireUserVerification: Bool = false
    var requireTrustedAttestation: Bool = false
    var trustAnchorsPEM: [String] = []
    var credentialPublicKey: String?
    var storedSignCount: UInt32 = 0
    var currentTimeMs: Int64?
    var allowSignCountRegression: Bool = false
    /// Accepted client data types; `nil` means the ceremony's default (`webauthn.create` / `webauthn.get`).
    var expectedTypes: [String]?
    /// Accepted credential algorithms (COSE identifiers); `nil` means the library default.
    var allowedAlgorithms: [Int]?
    /// Accept RS1 (SHA-1): TPM attestation signatures and, when listed, credential keys.
    var allowRS1: Bool = false
    /// android-safetynet: require ctsProfileMatch (default true).
    var safetyNetRequiresCTSProfileMatch: Bool = true
    /// FIDO metadata to consult (`--mds`).
    var metadata: MetadataBLOB? = nil
    /// Anchors for one format or one model (`--trust-anchors-for`).
    var trustAnchorsPEMByFormat: [AttestationFormat: [String]] = [:]
    var trustAnchorsPEMByAAGUID: [AAGUID: [String]] = [:]
    /// The attestation conveyance requirement (`--attestation`).
    var attestation = AttestationRequirement()
    /// The response: undecoded JSON bytes (stdin) or already decoded (a batch line).
    var response: Response

    /// A response to verify.
    enum Response: Sendable {
        case json(Data)
        case registration(RegistrationResponseJSON)
        case authentication(AuthenticationResponseJSON)
    }

    /// Runs the verification. Never throws: every failure becomes a rejected verdict.
    // Not inlined into the commands' `run`: there, Swift 6.3.1's release build crashed (LLVM
    // CoroSplit, signal 11, in `emitSetAndGetSwiftErrorValueAround`) on this typed-throws body.
    @inline(never)
    func run() async -> Verdict {
        do throws(WebAuthnError) {
            guard let challenge = ChallengeText.decode(self.challenge) else {
                throw WebAuthnError(
                    .malformedBase64,
                    "The expected challenge is not canonical base64url without padding."
                )
            }
            let relyingParty = RelyingParty(id: self.rpID, origins: self.origins)
            switch self.kind {
            case .registration:
                let response: RegistrationResponseJSON
                switch self.response {
                case .registration(let decoded): response = decoded
                case .json(let data): response = try RegistrationResponseJSON(jsonBytes: Array(data))
                case .authentication:
                    throw WebAuthnError(.malformedJSON, "An authentication response was given for a registration.")
                }
                var policy = RegistrationPolicy(
                    relyingParty: relyingParty,
                    requireUserVerification: self.requireUserVerification,
                    trustAnchors: try Self.certificates(fromPEM: self.trustAnchorsPEM),
                    requireTrustedAttestation: self.requireTrustedAttestation,
                    verificationTime: self.currentTimeMs.map { Date(timeIntervalSince1970: Double($0) / 1000) }
                )
                if let types = self.expectedTypes { policy.clientDataTypes = types }
                if let algorithms = self.allowedAlgorithms {
                    policy.allowedAlgorithms = algorithms.map { COSEAlgorithm(rawValue: $0) }
                }
                policy.allowRS1 = self.allowRS1
                policy.metadata = self.metadata
                policy.attestation = self.attestation
                for (format, documents) in self.trustAnchorsPEMByFormat {
                    policy.trustAnchorsByFormat[format] = try Self.certificates(fromPEM: documents)
                }
                for (aaguid, documents) in self.trustAnchorsPEMByAAGUID {
                    policy.trustAnchorsByAAGUID[aaguid] = try Self.certificates(fromPEM: documents)
                }
                policy.formatPolicy.safetyNetRequiresCTSProfileMatch = self.safetyNetRequiresCTSProfileMatch
                let result = try await RegistrationVerifier(policy: policy).verify(response, challenge: challenge)
                return Verdict(id: self.id, registration: result)
            case .authentication:
                let response: AuthenticationResponseJSON
                switch self.response {
                case .authentication(let decoded): response = decoded
                case .json(let data): response = try AuthenticationResponseJSON(jsonBytes: Array(data))
                case .registration:
                    throw WebAuthnError(.malformedJSON, "A registration response was given for an authentication.")
                }
                guard let keyText = self.credentialPublicKey, let keyBytes = Base64URL.decode(keyText) else {
                    throw WebAuthnError(
                        .malformedPublicKey,
                        "The stored credential public key is missing or not base64url."
                    )
                }
                let key = try COSEKey(cbor: keyBytes, options: COSEKey.Options(allowRS1: true))
                var policy = AuthenticationPolicy(
                    relyingParty: relyingParty,
                    requireUserVerification: self.requireUserVerification,
                    allowSignCountRegression: self.allowSignCountRegression
                )
                if let types = self.expectedTypes { policy.clientDataTypes = types }
                let expectation = AuthenticationExpectation(
                    challenge: challenge,
                    publicKey: key,
                    storedSignCount: self.storedSignCount
                )
                let result = try AuthenticationVerifier(policy: policy).verify(response, expecting: expectation)
                return Verdict(id: self.id, authentication: result)
            }
        } catch {
            return Verdict(id: self.id, error: error)
        }
    }

    static func certificates(fromPEM documents: [String]) throws(WebAuthnError) -> [Certificate] {
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() {
            do throws(WebAuthnError) {
                certificates.append(contentsOf: try TrustAnchors.certificates(fromPEM: document))
            } catch {
                // WebAuthn's sentence speaks of a file; here the PEM is text given with the job.
                throw WebAuthnError(
                    error.code,
                    "Trust anchor PEM text #\(index + 1) holds no usable PEM certificate: \(error.message)"
                        .replacingOccurrences(of: ": The trust anchor file holds no PEM certificate.", with: ".")
                )
            }
        }
        return certificates
    }
}

extension DecodingError {
    /// A one-line description naming the field that failed.
    var summary: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .typeMismatch(_, let context): return "wrong type at \(path(context))"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing field \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .dataCorrupted(let context): return "bad value at \(path(context)): \(context.debugDescription)"
        @unknown default: return "undecodable"
        }
    }
}
