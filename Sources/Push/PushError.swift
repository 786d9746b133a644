/// Why a push enrollment or answer was refused.
public enum PushError: Error, Sendable, Hashable, CustomStringConvertible {
    case ticketInvalid
    case ticketExpired
    case ticketUsed
    case invalidDeviceKey
    case transactionExpired
    case transactionResolved
    case signatureInvalid
    case wrongDevice

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .ticketInvalid: return "push_ticket_invalid"
        case .ticketExpired: return "push_ticket_expired"
        case .ticketUsed: return "push_ticket_used"
        case .invalidDeviceKey: return "push_device_key_invalid"
        case .transactionExpired: return "push_transaction_expired"
        case .transactionResolved: return "push_transaction_resolved"
        case .signatureInvalid: return "push_signature_invalid"
        case .wrongDevice: return "push_wrong_device"
        }
    }

    public var description: String {
        switch self {
        case .ticketInvalid: return "The enrollment ticket is not valid."
        case .ticketExpired: return "The enrollment ticket has expired; start again from your profile."
        case .ticketUsed: return "The enrollment ticket was already used."
        case .invalidDeviceKey: return "The phone's key is not a P-256 public key."
        case .transactionExpired: return "The sign-in request expired; start again."
        case .transactionResolved: return "The sign-in request was already answered."
        case .signatureInvalid: return "The answer is not signed by the registered phone."
        case .wrongDevice: return "The answer came from a phone that is not registered for this sign-in."
        }
    }
}
