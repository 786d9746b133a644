/// The authenticator-data flag rules both ceremonies apply, in one place: user presence (UP),
/// user verification (UV) when the policy requires it, and a backed-up credential (BS) being
/// backup eligible (BE). Each error names the step of the ceremony that asked.
enum AuthenticatorFlagRules {
    /// Which ceremony checks, for the step numbers.
    enum Ceremony {
        case registration
        case authentication

        /// The steps of §7.1 / §7.2 for UP, UV and the backup flags.
        var steps: (presence: String, verification: String, backup: String) {
            switch self {
            case .registration: ("§7.1 step 14", "§7.1 step 15", "§7.1 step 16")
            case .authentication: ("§7.2 step 16", "§7.2 step 17", "§7.2 step 18")
            }
        }
    }

    /// Checks `authData`'s flags.
    ///
    /// - Throws: ``WebAuthnError`` `user_presence_missing`, `user_verification_missing`,
    ///   `backup_state_invalid`.
    static func check(
        _ authData: AuthenticatorData,
        requireUserVerification: Bool,
        in ceremony: Ceremony
    ) throws(WebAuthnError) {
        let steps = ceremony.steps
        guard authData.userPresent else {
            throw WebAuthnError(
                .userPresenceMissing,
                "The authenticator did not confirm user presence (UP).",
                step: steps.presence
            )
        }
        if requireUserVerification && !authData.userVerified {
            throw WebAuthnError(
                .userVerificationMissing,
                "User verification was required but the authenticator did not verify the user (UV).",
                step: steps.verification
            )
        }
        if authData.backupState && !authData.backupEligible {
            throw WebAuthnError(
                .backupStateInvalid,
                "The authenticator reports a backed-up credential (BS) that is not backup eligible (BE).",
                step: steps.backup
            )
        }
    }
}
