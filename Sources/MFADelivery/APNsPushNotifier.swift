public import AsyncHTTPClient
import Crypto
public import Foundation
public import Push
import Synchronization

/// Sends sign-in requests through the Apple Push Notification service's HTTP API:
/// `POST {baseURL}/3/device/{token}` with a provider token (an ES256 JWT from the team's `.p8`
/// key, renewed every 30 minutes as Apple asks), `apns-push-type: alert`, priority 10 and an
/// expiry equal to the transaction's. A refusal is reported with Apple's `reason`.
public final class APNsPushNotifier: PushNotifier {
    public let teamID: String
    public let keyID: String
    /// The app's bundle id.
    public let topic: String
    /// `https://api.push.apple.com` (or the sandbox, or a test server).
    public let baseURL: URL
    private let key: P256.Signing.PrivateKey
    private let http: HTTPDelivery
    private let token = Mutex<(value: String, issuedAt: Date)?>(nil)

    /// How long a provider token is used before a new one is signed.
    public static let tokenLifetime: TimeInterval = 1_800

    /// Creates the notifier with the `.p8` key's PEM text.
    ///
    /// - Throws: ``PushDeliveryError`` when the key is not a P-256 private key.
    public init(
        teamID: String,
        keyID: String,
        privateKeyPEM: String,
        topic: String,
        baseURL: URL = ServiceEndpoint.apns,
        client: HTTPClient = .shared,
        timeoutSeconds: Int64 = 10
    ) throws(PushDeliveryError) {
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM) else {
            throw PushDeliveryError("the APNs key is not a P-256 private key in PEM")
        }
        self.teamID = teamID
        self.keyID = keyID
        self.key = key
        self.topic = topic
        self.baseURL = baseURL
        self.http = HTTPDelivery(client: client, timeout: .seconds(timeoutSeconds))
    }

    /// The provider token, signed anew when the current one is older than ``tokenLifetime``.
    func providerToken(at now: Date = Date()) throws(PushDeliveryError) -> String {
        if let current = self.token.withLock({ $0 }), now.timeIntervalSince(current.issuedAt) < Self.tokenLifetime {
            return current.value
        }
        guard
            let value = try? JSONWebToken.es256(
                header: ["kid": self.keyID],
                claims: ["iss": self.teamID, "iat": Int(now.timeIntervalSince1970)],
                key: self.key
            )
        else { throw PushDeliveryError("the APNs provider token could not be signed") }
        self.token.withLock { $0 = (value, now) }
        return value
    }

    public func send(_ notification: PushNotification) async throws(PushDeliveryError) {
        let payload: [String: Any] = [
            "aps": [
                "alert": [
                    "title": "Sign-in request",
                    "body": "\(notification.context.browser) from \(notification.context.ipAddress)",
                ],
                "category": "FIDOKIT_SIGN_IN",
                "sound": "default",
            ],
            "transactionId": notification.transactionID,
            "expiresAt": Int(notification.expiresAt.timeIntervalSince1970),
        ]
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else {
            throw PushDeliveryError("the APNs payload could not be encoded")
        }
        let url = self.baseURL.appendingPathComponent("3/device/\(notification.deviceToken)")
        let result = await self.http.send(
            .POST,
            url,
            headers: [
                ("authorization", "bearer \(try self.providerToken())"),
                ("apns-topic", self.topic),
                ("apns-push-type", "alert"),
                ("apns-priority", "10"),
                ("apns-expiration", String(Int(notification.expiresAt.timeIntervalSince1970))),
                ("apns-collapse-id", String(notification.transactionID.prefix(64))),
                ("content-type", "application/json"),
            ],
            body: body
        )
        switch result {
        case .failure(let failure):
            throw PushDeliveryError(failure.reason)
        case .success(let reply) where reply.status != 200:
            let reason = reply.body.jsonString("reason").map { " \($0)" } ?? ""
            throw PushDeliveryError("APNs answered HTTP \(reply.status)\(reason)")
        case .success:
            return
        }
    }
}
