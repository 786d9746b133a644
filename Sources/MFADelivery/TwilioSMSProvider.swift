public import AsyncHTTPClient
public import Foundation
import NIOCore
public import SMS

/// Sends SMS through Twilio's Programmable Messaging REST API (or anything that speaks it):
/// `POST {baseURL}/2010-04-01/Accounts/{accountSID}/Messages.json`, form-encoded, HTTP Basic
/// authentication. A message Twilio does not accept — any status but 200/201, or a message
/// status of `failed`/`undelivered` — is reported as ``SMSError/deliveryFailed(_:)`` with
/// Twilio's error code and message.
public struct TwilioSMSProvider: SMSProvider {
    /// Who the message comes from: a phone number, or a Messaging Service.
    public enum Sender: Sendable, Hashable {
        case number(PhoneNumber)
        case messagingService(String)
    }

    public var accountSID: String
    public var authToken: String
    public var sender: Sender
    /// `https://api.twilio.com` unless a test or a proxy says otherwise.
    public var baseURL: URL
    let http: HTTPDelivery

    /// Creates the provider.
    public init(
        accountSID: String,
        authToken: String,
        sender: Sender,
        baseURL: URL = ServiceEndpoint.twilio,
        client: HTTPClient = .shared,
        timeoutSeconds: Int64 = 10
    ) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.sender = sender
        self.baseURL = baseURL
        self.http = HTTPDelivery(client: client, timeout: .seconds(timeoutSeconds))
    }

    public func send(_ message: SMSMessage) async throws(SMSError) {
        var form = [("To", message.to.e164), ("Body", message.body)]
        switch self.sender {
        case .number(let number): form.append(("From", number.e164))
        case .messagingService(let sid): form.append(("MessagingServiceSid", sid))
        }
        let url = self.baseURL.appendingPathComponent("2010-04-01/Accounts/\(self.accountSID)/Messages.json")
        let credentials = Data("\(self.accountSID):\(self.authToken)".utf8).base64EncodedString()
        let result = await self.http.send(
            .POST,
            url,
            headers: [
                ("Authorization", "Basic \(credentials)"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            body: Data(FormEncoding.encode(form).utf8)
        )
        let reply: HTTPDelivery.Reply
        switch result {
        case .success(let value): reply = value
        case .failure(let failure): throw .deliveryFailed(failure.reason)
        }
        guard reply.status == 200 || reply.status == 201 else {
            let code = reply.body.jsonString("code").map { " \($0)" } ?? ""
            let detail = reply.body.jsonString("message").map { ": \($0)" } ?? ""
            throw .deliveryFailed("Twilio answered HTTP \(reply.status)\(code)\(detail)")
        }
        if let status = reply.body.jsonString("status"), status == "failed" || status == "undelivered" {
            throw .deliveryFailed("Twilio reports the message \(status)")
        }
    }
}

/// `application/x-www-form-urlencoded` as HTML and Twilio read it.
enum FormEncoding {
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*"
    )

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        (text.addingPercentEncoding(withAllowedCharacters: Self.unreserved.union(CharacterSet(charactersIn: " "))) ?? "")
            .replacingOccurrences(of: " ", with: "+")
    }
}
