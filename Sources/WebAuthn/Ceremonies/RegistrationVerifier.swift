import CBOR
import Crypto
import Foundation
import X509

/// Verifies a registration ceremony (WebAuthn Level 3 §7.1, "Registering a New Credential").
///
/// ```swift
/// let verifier = RegistrationVerifier(policy: RegistrationPolicy(
///     relyingParty: RelyingParty(id: "example.com", origins: ["https://example.com"])))
/// let registration = try await verifier.verify(response, challenge: issuedChallenge)
/// store(registration.credential)
/// ```
///
/// Every check throws ``WebAuthnError`` with its own code; nothing is returned unless every step
/// passed. Checking that the credential id is not already registered (§7.1 step 26) is the
/// caller's job, because only the caller's store knows.
public struct RegistrationVerifier: Sendable {
    /// The relying party's requirements.
    public var policy: RegistrationPolicy

    /// Creates a verifier.
    public init(policy: RegistrationPolicy) {
        self.policy = policy
    }

    /// Verifies `response` against the `challenge` issued for this ceremony.
    public func verify(_ response: RegistrationResponseJSON, challenge: [UInt8]) async throws(WebAuthnError)
        -> VerifiedRegistration
    {
        // §7.1 steps 3–4: a public-key credential whose id matches its raw id.
        guard response.type == "public-key" else {
            throw WebAuthnError(
                .credentialTypeMismatch,
                "The credential type is \"\(response.type)\", not \"public-key\"."
            )
        }
        guard Base64URL.decode(response.id) == response.rawID.bytes else {
            throw WebAuthnError(.credentialIDMismatch, "The credential's id and rawId differ.")
        }

        // Steps 5–10: client data.
        let clientDataJSON = response.response.clientDataJSON.bytes
        let clientData = try CollectedClientData(jsonBytes: clientDataJSON)
        try clientData.check(
            types: self.policy.clientDataTypes,
            challenge: challenge,
            relyingParty: self.policy.relyingParty,
            ceremony: "§7.1 steps 7–10"
        )

        // Step 11: hash of the client data.
        let clientDataHash = Array(SHA256.hash(data: clientDataJSON))

        // Step 12: attestation object and authenticator data.
        let attestationObject = try AttestationObject(response.response.attestationObject.bytes)
        let authData = attestationObject.authenticatorData
        // Step 20, done early: a format this verifier cannot check is rejected before anything else.
        guard let verifier = self.policy.attestationVerifiers.first(where: { $0.format == attestationObject.format })
        else {
            throw WebAuthnError(
                .unsupportedAttestationFormat,
                "The attestation format \"\(attestationObject.format)\" is not supported.",
                step: "§7.1 step 20"
            )
        }

        // Step 13: rpIdHash.
        let expectedRPIDHash = Array(SHA256.hash(data: Array(self.policy.relyingParty.id.utf8)))
        guard authData.rpIDHash == expectedRPIDHash else {
            throw WebAuthnError(
                .rpIDHashMismatch,
                "The authenticator data is scoped to another RP ID than \"\(self.policy.relyingParty.id)\".",
                step: "§7.1 step 13"
            )
        }
        // Steps 14–16: user presence, verification, backup flags.
        try AuthenticatorFlagRules.check(
            authData,
            requireUserVerification: self.policy.requireUserVerification,
            in: .registration
        )
        guard let credential = authData.attestedCredentialData else {
            throw WebAuthnError(
                .attestedCredentialDataMissing,
                "The authenticator data of a registration carries no attested credential data (AT).",
                step: "§7.1 step 12"
            )
        }
        // Step 24 (checked early: no point verifying attestation of an unusable id).
        guard credential.credentialID.count <= 1023 else {
            throw WebAuthnError(
                .credentialIDTooLong,
                "The credential id is \(credential.credentialID.count) bytes; at most 1023 are allowed.",
                step: "§7.1 step 24"
            )
        }
        // The record keeps the credential id from the signed authenticator data. A client whose rawId
        // differs from it is broken, not dangerous: peers accept such responses, and so does this verifier.
        // Step 18: the credential algorithm is one the RP asked for.
        let key = try COSEKey(
            value: credential.publicKeyValue,
            encoded: credential.publicKeyBytes,
            options: COSEKey.Options(allowRS1: self.policy.allowRS1)
        )
        guard self.policy.allowedAlgorithms.contains(key.algorithm) else {
            throw WebAuthnError(
                .algorithmNotAllowed,
                "The credential uses \(key.algorithm), which is not among the allowed algorithms.",
                step: "§7.1 step 18"
            )
        }

        // Steps 20–21: the attestation statement.
        var anchors = self.policy.trustAnchors(format: attestationObject.format, aaguid: credential.aaguid)
        let metadata = self.metadata(for: credential.aaguid, statement: attestationObject.statement)
        if let metadata {
            // Status reports first: a revoked or compromised model is refused whatever it signed.
            if let report = metadata.refusingReport {
                throw WebAuthnError(
                    .authenticatorRevoked,
                    "The metadata service reports \(metadata.description) as \(report.status)\(report.effectiveDate.map { " since \($0)" } ?? "").",
                    step: "§7.1 step 21"
                )
            }
            if !metadata.attestationRootCertificates.isEmpty {
                anchors = (anchors.anchors + metadata.attestationRootCertificates, true)
            }
        }
        let context = AttestationContext(
            authenticatorData: authData,
            credential: credential,
            credentialKey: key,
            clientDataHash: clientDataHash,
            trustAnchors: anchors.anchors,
            anchorsRequired: anchors.callerChosen,
            verificationTime: self.policy.verificationTime ?? Date(),
            enforceValidityPeriod: anchors.callerChosen || self.policy.verificationTime != nil,
            allowRS1: self.policy.allowRS1,
            formatPolicy: self.policy.formatPolicy,
            policy: self.policy
        )
        var attestation = try await verifier.verify(statementValue: attestationObject.statementValue, context: context)
        attestation.metadata = metadata
        // Metadata that lists attestation CA as the model's only x5c type names it as such.
        if attestation.type == .basic, let types = metadata?.attestationTypes, types.contains("attca"),
            !types.contains("basic_full")
        {
            attestation.type = .attCA
        }

        // Steps 22–23: trustworthiness.
        if !self.policy.attestation.accepts(type: attestation.type, trusted: attestation.trusted) {
            throw WebAuthnError(
                .attestationUntrusted,
                "The relying party asked for \(self.policy.attestation.conveyance.rawValue) attestation, and this \(attestation.format) attestation (\(attestation.type.rawValue)) does not chain to a trusted anchor.",
                step: "§7.1 step 23"
            )
        }
        if self.policy.requireTrustedAttestation && !attestation.trusted {
            throw WebAuthnError(
                .attestationUntrusted,
                "The \(attestation.format) attestation (\(attestation.type.rawValue)) does not chain to a trusted anchor.",
                step: "§7.1 step 23"
            )
        }

        let record = CredentialRecord(
            id: credential.credentialID,
            publicKey: credential.publicKeyBytes,
            signCount: authData.signCount,
            aaguid: credential.aaguid,
            transports: response.response.transports ?? [],
            backupEligible: authData.backupEligible,
            backupState: authData.backupState,
            uvInitialized: authData.userVerified,
            attestationFormat: attestation.format,
            attestationType: attestation.type,
            attestationObject: attestationObject.rawValue,
            attestationClientDataJSON: clientDataJSON
        )
        return VerifiedRegistration(
            credential: record,
            publicKey: key,
            attestation: attestation,
            userVerified: authData.userVerified,
            authenticatorExtensions: authData.extensions,
            clientExtensionResults: response.clientExtensionResults
        )
    }

    /// The metadata of the model: by AAGUID, or for keys without one (U2F) by the key
    /// identifier of the attestation certificate in `x5c`.
    func metadata(for aaguid: AAGUID, statement: CBORMap) -> AuthenticatorMetadata? {
        guard let provider = self.policy.metadata else { return nil }
        if aaguid != .zero { return provider.metadata(aaguid: aaguid) }
        guard let der = statement["x5c"]?.arrayValue?.first?.bytes, let leaf = try? Certificate(derEncoded: der) else {
            return nil
        }
        return provider.metadata(attestationCertificateKeyIdentifier: leaf.metadataKeyIdentifier)
    }
}
