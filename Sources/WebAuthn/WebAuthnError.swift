/// The one error type of the relying-party verifier.
///
/// Every failed check throws a `WebAuthnError` whose ``code`` is a stable, machine-readable
/// string (`challenge_mismatch`, `signature_invalid`, …) and whose ``message`` is a sentence a
/// person can act on. Verification fails closed: any step that cannot be completed throws.
/// Two errors are equal when their codes are equal.
public struct WebAuthnError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A stable identifier of the check that failed. New codes may be added in minor releases.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { self.rawValue }

        // Input that cannot be parsed.
        public static let malformedJSON: Code = "malformed_json"
        public static let malformedBase64: Code = "malformed_base64"
        public static let malformedClientData: Code = "malformed_client_data"
        public static let malformedCBOR: Code = "malformed_cbor"
        public static let malformedAuthenticatorData: Code = "malformed_authenticator_data"
        public static let malformedAttestationObject: Code = "malformed_attestation_object"
        public static let malformedAttestationStatement: Code = "malformed_attestation_statement"
        public static let malformedPublicKey: Code = "malformed_public_key"
        public static let malformedCertificate: Code = "malformed_certificate"

        // The credential and its owner.
        public static let credentialTypeMismatch: Code = "credential_type_mismatch"
        public static let credentialIDMismatch: Code = "credential_id_mismatch"
        public static let credentialIDTooLong: Code = "credential_id_too_long"
        public static let credentialNotAllowed: Code = "credential_not_allowed"
        public static let userHandleMismatch: Code = "user_handle_mismatch"
        public static let userHandleMissing: Code = "user_handle_missing"

        // Client data.
        public static let clientDataTypeMismatch: Code = "client_data_type_mismatch"
        public static let challengeMismatch: Code = "challenge_mismatch"
        public static let originMismatch: Code = "origin_mismatch"
        public static let crossOriginNotAllowed: Code = "cross_origin_not_allowed"
        public static let topOriginMismatch: Code = "top_origin_mismatch"
        public static let tokenBindingInvalid: Code = "token_binding_invalid"

        // Authenticator data.
        public static let rpIDHashMismatch: Code = "rp_id_hash_mismatch"
        public static let userPresenceMissing: Code = "user_presence_missing"
        public static let userVerificationMissing: Code = "user_verification_missing"
        public static let backupStateInvalid: Code = "backup_state_invalid"
        public static let backupEligibilityChanged: Code = "backup_eligibility_changed"
        public static let attestedCredentialDataMissing: Code = "attested_credential_data_missing"
        public static let extensionDataMismatch: Code = "extension_data_mismatch"

        // Keys and algorithms.
        public static let algorithmNotAllowed: Code = "algorithm_not_allowed"
        public static let unsupportedAlgorithm: Code = "unsupported_algorithm"
        public static let keyAlgorithmMismatch: Code = "key_algorithm_mismatch"
        public static let weakKey: Code = "weak_key"
        public static let invalidCurvePoint: Code = "invalid_curve_point"
        public static let signatureInvalid: Code = "signature_invalid"

        // Attestation.
        public static let unsupportedAttestationFormat: Code = "unsupported_attestation_format"
        public static let attestationAlgorithmMismatch: Code = "attestation_algorithm_mismatch"
        public static let attestationCertificateInvalid: Code = "attestation_certificate_invalid"
        public static let aaguidMismatch: Code = "aaguid_mismatch"
        public static let certificateExpired: Code = "certificate_expired"
        public static let attestationUntrusted: Code = "attestation_untrusted"
        /// The statement is not bound to this registration: Apple's or SafetyNet's nonce, Android's
        /// attestation challenge or the TPM's extraData is not the expected hash.
        public static let attestationNonceMismatch: Code = "attestation_nonce_mismatch"
        /// The attested key (certificate key, TPM pubArea) is not the credential public key.
        public static let attestationKeyMismatch: Code = "attestation_key_mismatch"
        /// A format rule of the relying party's policy failed (Android key origin or purpose,
        /// SafetyNet ctsProfileMatch or age, TPM manufacturer).
        public static let attestationPolicyViolation: Code = "attestation_policy_violation"
        /// The metadata service reports the authenticator compromised or revoked.
        public static let authenticatorRevoked: Code = "authenticator_revoked"

        // Counters.
        public static let signCountRegression: Code = "sign_count_regression"

        // Relying-party configuration.
        public static let invalidRelyingPartyID: Code = "invalid_rp_id"
        public static let invalidOrigin: Code = "invalid_origin"
    }

    /// Which check failed.
    public var code: Code
    /// A sentence that says what failed and why.
    public var message: String
    /// The WebAuthn Level 3 step that the check implements, when there is one (e.g. "§7.1 step 13").
    public var specStep: String?
    /// The file (`Module/File.swift`) and line that threw it.
    public let file: StaticString
    public let line: UInt

    /// Where it was thrown (`Module/File.swift:line`), for logs and bug reports; not part of
    /// equality, the description or any JSON verdict.
    public var thrownAt: String { "\(self.file):\(self.line)" }

    /// Creates an error, recording where.
    public init(
        _ code: Code,
        _ message: String,
        step specStep: String? = nil,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.specStep = specStep
        self.file = file
        self.line = line
    }

    public var description: String {
        if let specStep {
            return "\(self.code): \(self.message) (WebAuthn \(specStep))"
        }
        return "\(self.code): \(self.message)"
    }

    /// The description and where it was thrown.
    public var debugDescription: String { "\(self.description) [\(self.thrownAt)]" }

    public static func == (lhs: WebAuthnError, rhs: WebAuthnError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
