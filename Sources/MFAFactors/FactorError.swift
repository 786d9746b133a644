/// Why a factor service refused a step that is not a wrong code: an unknown, expired or
/// already-used ceremony, a factor that belongs to someone else, a duplicate credential.
public enum FactorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No pending ceremony (challenge, SMS code, transaction) with this id for this member.
    case ceremonyNotFound
    /// The ceremony expired; start again.
    case ceremonyExpired
    /// The ceremony was already completed or failed; start again.
    case ceremonyUsed
    /// The ceremony was started for another purpose (a registration challenge used to sign in).
    case ceremonyPurposeMismatch
    /// No such factor for this member.
    case factorNotFound
    /// The factor's enrollment has not been completed.
    case factorNotConfirmed
    /// The credential is registered already.
    case credentialExists
    /// An enrollment begun as the member's first factor (so without a step-up) finished after
    /// another factor had been enrolled: it is undone, and adding a factor now needs a step-up.
    case firstFactorTaken
    /// Another change of the member's factors kept the member's lock for too long.
    case factorChangeBusy
    /// A phone with this push token or device key is registered already.
    case deviceExists

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .ceremonyNotFound: return "ceremony_not_found"
        case .ceremonyExpired: return "ceremony_expired"
        case .ceremonyUsed: return "ceremony_used"
        case .ceremonyPurposeMismatch: return "ceremony_purpose_mismatch"
        case .factorNotFound: return "factor_not_found"
        case .factorNotConfirmed: return "factor_not_confirmed"
        case .credentialExists: return "credential_exists"
        case .firstFactorTaken: return "step_up_required"
        case .factorChangeBusy: return "factor_change_busy"
        case .deviceExists: return "device_exists"
        }
    }

    public var description: String {
        switch self {
        case .ceremonyNotFound: return "There is no sign-in or enrollment step under way with this id."
        case .ceremonyExpired: return "This step expired; start again."
        case .ceremonyUsed: return "This step was already used; start again."
        case .ceremonyPurposeMismatch: return "This step was started for something else."
        case .factorNotFound: return "There is no such factor on this account."
        case .factorNotConfirmed: return "This factor's enrollment was not completed."
        case .credentialExists: return "This security key or device is registered already."
        case .firstFactorTaken:
            return "Another factor was enrolled meanwhile: confirm it's you with it, then add this one again."
        case .factorChangeBusy: return "Another change of this account's factors is under way; try again in a moment."
        case .deviceExists:
            return
                "A phone with this push token or key is registered already: remove it first, or enroll with a new key."
        }
    }
}
