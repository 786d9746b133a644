import FIDOKitTestSupport
import Foundation
import MFADelivery
import SMS
import Testing

/// The Twilio-compatible provider against a loopback server speaking Twilio's API.
struct TwilioSMSProviderTests {
    static let message = SMSMessage.code("123456", to: try! PhoneNumber("+14155550100"), issuer: "FIDOKit & Co", host: "dash.example.com")

    static func provider(_ server: LoopbackHTTPServer) throws -> TwilioSMSProvider {
        TwilioSMSProvider(
            accountSID: "AC0123",
            authToken: "s3cret",
            sender: .number(try PhoneNumber("+15005550006")),
            baseURL: server.url()
        )
    }

    /// The form fields of a request body.
    static func form(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    @Test func aMessageIsPostedAsTwilioExpects() async throws {
        let server = try LoopbackHTTPServer { _ in .json(201, #"{"sid":"SM1","status":"queued"}"#) }
        defer { server.stop() }
        try await Self.provider(server).send(Self.message)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/2010-04-01/Accounts/AC0123/Messages.json")
        #expect(request.headers["authorization"] == "Basic " + Data("AC0123:s3cret".utf8).base64EncodedString())
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        let form = Self.form(request.body)
        #expect(form == ["To": "+14155550100", "From": "+15005550006", "Body": Self.message.body])
        #expect(form["Body"]?.contains("@dash.example.com #123456") == true)
    }

    @Test func aMessagingServiceIsNamedInsteadOfANumber() async throws {
        let server = try LoopbackHTTPServer { _ in .json(201, #"{"sid":"SM1","status":"accepted"}"#) }
        defer { server.stop() }
        let provider = TwilioSMSProvider(accountSID: "AC1", authToken: "t", sender: .messagingService("MG9"), baseURL: server.url())
        try await provider.send(Self.message)
        let form = Self.form(try #require(server.requests.first).body)
        #expect(form["MessagingServiceSid"] == "MG9" && form["From"] == nil)
    }

    @Test func refusalsAreReportedWithTwilioReasons() async throws {
        let server = try LoopbackHTTPServer { request in
            let to = Self.form(request.body)["To"] ?? ""
            if to.hasSuffix("0100") {
                return .json(400, #"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#)
            }
            return .json(201, #"{"sid":"SM2","status":"failed"}"#)
        }
        defer { server.stop() }
        let provider = try Self.provider(server)
        await #expect(throws: SMSError.deliveryFailed("Twilio answered HTTP 400 21211: Invalid 'To' Phone Number")) {
            try await provider.send(Self.message)
        }
        await #expect(throws: SMSError.deliveryFailed("Twilio reports the message failed")) {
            try await provider.send(SMSMessage(to: try PhoneNumber("+14155550199"), body: "x"))
        }
    }

    @Test func anUnreachableServiceIsReported() async throws {
        let server = try LoopbackHTTPServer { _ in .json(201, "{}") }
        server.stop()
        let provider = TwilioSMSProvider(
            accountSID: "AC1",
            authToken: "t",
            sender: .messagingService("MG9"),
            baseURL: server.url(),
            timeoutSeconds: 2
        )
        let error = await #expect(throws: SMSError.self) { try await provider.send(Self.message) }
        guard case .deliveryFailed(let reason) = error else {
            Issue.record("expected deliveryFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("127.0.0.1 could not be reached"))
    }
}
