public import Foundation

/// Why an SMS step was refused.
public enum SMSError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidPhoneNumber(String)
    /// Sending again now would exceed the resend limits; try after the given time.
    case throttled(retryAfter: Date)
    /// The member reached their limit of codes across all numbers (rolling hour or day); try
    /// after the given time.
    case memberLimit(retryAfter: Date)
    /// The tenant reached its limit of codes across all members and numbers (toll fraud).
    case tenantLimit(retryAfter: Date)
    /// The provider did not take the message.
    case deliveryFailed(String)

    public var description: String {
        switch self {
        case .invalidPhoneNumber(let text):
            return "\"\(text)\" is not a phone number in international form (+ and country code)."
        case .throttled(let date): return "Too many codes sent to this number; try again after \(date)."
        case .memberLimit(let date): return "You have been sent too many codes; try again after \(date)."
        case .tenantLimit(let date):
            return "Your organisation has been sent too many codes; try again after \(date)."
        case .deliveryFailed(let reason): return "The SMS could not be sent: \(reason)."
        }
    }
}
