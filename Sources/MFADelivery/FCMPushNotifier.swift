public import AsyncHTTPClient
public import Foundation
public import Push

/// Sends sign-in requests through Firebase Cloud Messaging's HTTP v1 API:
/// `POST {baseURL}/v1/projects/{project}/messages:send`, a high-priority data message that lives
/// as long as the transaction, authorised by an OAuth 2 access token from ``tokens``. A refusal
/// is reported with FCM's error status and message.
public struct FCMPushNotifier: PushNotifier {
    public let projectID: String
    public let tokens: any FCMAccessTokenProvider
    /// `https://fcm.googleapis.com` (or a test server).
    public let baseURL: URL
    let http: HTTPDelivery

    /// Creates the notifier.
    public init(
        projectID: String,
        tokens: any FCMAccessTokenProvider,
        baseURL: URL = ServiceEndpoint.fcm,
        client: HTTPClient = .shared,
        timeoutSeconds: Int64 = 10
    ) {
        self.projectID = projectID
        self.tokens = tokens
        self.baseURL = baseURL
        self.http = HTTPDelivery(client: client, timeout: .seconds(timeoutSeconds))
    }

    public func send(_ notification: PushNotification) async throws(PushDeliveryError) {
        let ttl = max(1, Int(notification.expiresAt.timeIntervalSinceNow.rounded(.up)))
        let message: [String: Any] = [
            "message": [
                "token": notification.deviceToken,
                "data": [
                    "type": "fidokit-sign-in",
                    "transactionId": notification.transactionID,
                    "browser": notification.context.browser,
                    "ipAddress": notification.context.ipAddress,
                    "expiresAt": String(Int(notification.expiresAt.timeIntervalSince1970)),
                ],
                "android": ["priority": "HIGH", "ttl": "\(ttl)s"],
            ]
        ]
        guard let body = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]) else {
            throw PushDeliveryError("the FCM message could not be encoded")
        }
        let accessToken = try await self.tokens.accessToken()
        let url = self.baseURL.appendingPathComponent("v1/projects/\(self.projectID)/messages:send")
        let result = await self.http.send(
            .POST,
            url,
            headers: [("Authorization", "Bearer \(accessToken)"), ("Content-Type", "application/json")],
            body: body
        )
        switch result {
        case .failure(let failure):
            throw PushDeliveryError(failure.reason)
        case .success(let reply) where reply.status != 200:
            let status = reply.body.jsonString("error", "status").map { " \($0)" } ?? ""
            let detail = reply.body.jsonString("error", "message").map { ": \($0)" } ?? ""
            throw PushDeliveryError("FCM answered HTTP \(reply.status)\(status)\(detail)")
        case .success:
            return
        }
    }
}
