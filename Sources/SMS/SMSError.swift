public import Foundation

/// Why an SMS step was refused.
public enum SMSError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidPhoneNumber(String)
    /// Sending again now would exceed the resend limits; try after the given time.
    case throttled(retryAfter: Date)
    /// The provider did not take the message.
    case deliveryFailed(String)

    public var description: String {
        switch self {
        case .invalidPhoneNumber(let text):
            return "\"\(text)\" is not a phone number in international form (+ and country code)."
        case .throttled(let date): return "Too many codes sent to this number; try again after \(date)."
        case .deliveryFailed(let reason): return "The SMS could not be sent: \(reason)."
        }
    }
}
