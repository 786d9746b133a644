public import Foundation

/// The public endpoints of the delivery services, the defaults of the providers' `baseURL`.
public enum ServiceEndpoint {
    /// Twilio's REST API.
    public static let twilio = Self.https("api.twilio.com")
    /// APNs production (the sandbox is `api.sandbox.push.apple.com`).
    public static let apns = Self.https("api.push.apple.com")
    /// Firebase Cloud Messaging.
    public static let fcm = Self.https("fcm.googleapis.com")

    /// `https://host` (built from components: a literal host always makes a URL).
    static func https(_ host: String) -> URL {
        var components = URLComponents()
        components.scheme = "https"
        components.host = host
        return components.url ?? URL(fileURLWithPath: "/")
    }
}
