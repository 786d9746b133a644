import Crypto

/// Verifies an authentication ceremony (WebAuthn Level 3 §7.2, "Verifying an Authentication Assertion").
///
/// ```swift
/// let verifier = AuthenticationVerifier(policy: AuthenticationPolicy(
///     relyingParty: RelyingParty(id: "example.com", origins: ["https://example.com"])))
/// let result = try verifier.verify(response, expecting: AuthenticationExpectation(
///     challenge: issuedChallenge, credential: storedRecord))
/// storedRecord.signCount = result.newSignCount
/// storedRecord.backupState = result.backupState
/// ```
///
/// The call is synchronous and allocation-light: it is the hot path of every sign-in.
public struct AuthenticationVerifier: Sendable {
    /// The relying party's requirements.
    public var policy: AuthenticationPolicy
    private let rpIDHash: [UInt8]
    private let appIDHash: [UInt8]?

    /// Creates a verifier.
    public init(policy: AuthenticationPolicy) {
        self.policy = policy
        self.rpIDHash = Array(SHA256.hash(data: Array(policy.relyingParty.id.utf8)))
        self.appIDHash = policy.appID.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }

    /// Verifies `response` against what the relying party expects.
    public func verify(_ response: AuthenticationResponseJSON, expecting expected: AuthenticationExpectation)
        throws(WebAuthnError) -> VerifiedAuthentication
    {
        let credentialID = response.rawID.bytes
        guard response.type == "public-key" else {
            throw WebAuthnError(
                .credentialTypeMismatch,
                "The credential type is \"\(response.type)\", not \"public-key\"."
            )
        }
        guard Base64URL.decode(response.id) == credentialID else {
            throw WebAuthnError(.credentialIDMismatch, "The credential's id and rawId differ.")
        }
        // §7.2 step 5: the credential is one the RP allowed.
        if let allowed = expected.allowCredentials, !allowed.contains(credentialID) {
            throw WebAuthnError(
                .credentialNotAllowed,
                "The assertion comes from a credential that was not in allowCredentials.",
                step: "§7.2 step 5"
            )
        }
        if let storedID = expected.credentialID, storedID != credentialID {
            throw WebAuthnError(
                .credentialIDMismatch,
                "The assertion comes from another credential than the stored one.",
                step: "§7.2 step 6"
            )
        }
        // Step 6: the user handle, when returned, names the credential's owner.
        if let returned = response.response.userHandle?.bytes, !returned.isEmpty {
            if let owner = expected.userHandle, owner != returned {
                throw WebAuthnError(
                    .userHandleMismatch,
                    "The user handle in the assertion belongs to another account.",
                    step: "§7.2 step 6"
                )
            }
        } else if expected.requireUserHandle {
            throw WebAuthnError(
                .userHandleMissing,
                "A usernameless sign-in needs the user handle, but the authenticator returned none.",
                step: "§7.2 step 6"
            )
        }

        // Steps 8–14: client data.
        let clientDataJSON = response.response.clientDataJSON.bytes
        let clientData = try CollectedClientData(jsonBytes: clientDataJSON)
        try clientData.check(
            types: self.policy.clientDataTypes,
            challenge: expected.challenge,
            relyingParty: self.policy.relyingParty,
            ceremony: "§7.2 steps 11–14"
        )

        // Step 15: rpIdHash (or the AppID's, when the client says it used the appid extension).
        let authDataBytes = response.response.authenticatorData.bytes
        let authData = try AuthenticatorData(authDataBytes)
        var usedAppID = false
        if authData.rpIDHash != self.rpIDHash {
            if response.clientExtensionResults?.appid == true, let appIDHash = self.appIDHash,
                authData.rpIDHash == appIDHash
            {
                usedAppID = true
            } else {
                throw WebAuthnError(
                    .rpIDHashMismatch,
                    "The authenticator data is scoped to another RP ID than \"\(self.policy.relyingParty.id)\".",
                    step: "§7.2 step 15"
                )
            }
        }
        // Steps 16–18: user presence, verification, backup flags (and BE unchanged, below).
        try AuthenticatorFlagRules.check(
            authData,
            requireUserVerification: self.policy.requireUserVerification,
            in: .authentication
        )
        if let storedEligible = expected.backupEligible, storedEligible != authData.backupEligible {
            throw WebAuthnError(
                .backupEligibilityChanged,
                "The credential's backup eligibility (BE) changed since registration.",
                step: "§7.2 step 18"
            )
        }

        // Steps 20–21: the signature over authenticatorData || SHA-256(clientDataJSON).
        var signedData = authDataBytes
        signedData.reserveCapacity(authDataBytes.count + 32)
        signedData.append(contentsOf: SHA256.hash(data: clientDataJSON))
        guard expected.publicKey.isValidSignature(response.response.signature.bytes, for: signedData) else {
            throw WebAuthnError(
                .signatureInvalid,
                "The assertion signature does not verify with the stored credential public key.",
                step: "§7.2 step 21"
            )
        }

        // Step 22: the signature counter.
        var regressed = false
        if authData.signCount != 0 || expected.storedSignCount != 0, authData.signCount <= expected.storedSignCount {
            guard self.policy.allowSignCountRegression else {
                throw WebAuthnError(
                    .signCountRegression,
                    "The signature counter went from \(expected.storedSignCount) to \(authData.signCount): the authenticator may have been cloned.",
                    step: "§7.2 step 22"
                )
            }
            regressed = true
        }

        return VerifiedAuthentication(
            credentialID: credentialID,
            newSignCount: regressed ? expected.storedSignCount : authData.signCount,
            signCountRegressed: regressed,
            userVerified: authData.userVerified,
            backupEligible: authData.backupEligible,
            backupState: authData.backupState,
            userHandle: response.response.userHandle?.bytes,
            usedAppID: usedAppID,
            authenticatorExtensions: authData.extensions
        )
    }
}
