import Crypto
import CryptoExtras
import FIDOKitTestSupport
import Foundation
import MFADelivery
import Push
import Testing

/// The FCM HTTP v1 notifier and Google's service-account token flow against loopback servers.
struct FCMPushNotifierTests {
    static let notification = APNsPushNotifierTests.notification

    @Test func aDataMessageIsPostedWithTheAccessToken() async throws {
        let server = try LoopbackHTTPServer { _ in .json(200, #"{"name":"projects/p/messages/1"}"#) }
        defer { server.stop() }
        let notifier = FCMPushNotifier(projectID: "fidokit-demo", tokens: StaticFCMAccessToken("ya29.token"), baseURL: server.url())
        try await notifier.send(Self.notification)
        let request = try #require(server.requests.first)
        #expect(request.target == "/v1/projects/fidokit-demo/messages:send")
        #expect(request.headers["authorization"] == "Bearer ya29.token")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        let message = try #require(body["message"] as? [String: Any])
        #expect(message["token"] as? String == "a1b2c3")
        let data = try #require(message["data"] as? [String: String])
        #expect(data["transactionId"] == APNsPushNotifierTests.transaction.id && data["ipAddress"] == "203.0.113.9")
        #expect((message["android"] as? [String: String])?["priority"] == "HIGH")
    }

    @Test func fcmsRefusalIsReported() async throws {
        let server = try LoopbackHTTPServer { _ in
            .json(404, #"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"#)
        }
        defer { server.stop() }
        let notifier = FCMPushNotifier(projectID: "p", tokens: StaticFCMAccessToken("t"), baseURL: server.url())
        await #expect(throws: PushDeliveryError("FCM answered HTTP 404 NOT_FOUND: Requested entity was not found.")) {
            try await notifier.send(Self.notification)
        }
    }

    @Test func aServiceAccountAssertionIsExchangedOnceForAToken() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let publicKey = key.publicKey
        let server = try LoopbackHTTPServer { request in
            guard request.target == "/token" else { return .json(200, #"{"name":"m"}"#) }
            // Check the assertion as Google would: RS256 over header.claims with the account's key.
            let form = String(decoding: request.body, as: UTF8.self)
            guard form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"),
                let assertion = form.split(separator: "&").first(where: { $0.hasPrefix("assertion=") })?.dropFirst(10)
            else { return .json(400, #"{"error":"invalid_request"}"#) }
            let parts = assertion.split(separator: ".").map(String.init)
            var base64 = parts.count == 3 ? parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") : ""
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard let signature = Data(base64Encoded: base64),
                publicKey.isValidSignature(
                    _RSA.Signing.RSASignature(rawRepresentation: signature),
                    for: SHA256.hash(data: Data((parts[0] + "." + parts[1]).utf8)),
                    padding: .insecurePKCS1v1_5
                )
            else { return .json(400, #"{"error":"invalid_grant"}"#) }
            return .json(200, #"{"access_token":"ya29.fresh","expires_in":3599,"token_type":"Bearer"}"#)
        }
        defer { server.stop() }
        let account: [String: String] = [
            "type": "service_account", "client_email": "push@fidokit-demo.iam.gserviceaccount.com",
            "private_key": key.pemRepresentation, "token_uri": server.url("token").absoluteString,
        ]
        let tokens = try GoogleServiceAccountTokenProvider(serviceAccountJSON: try JSONSerialization.data(withJSONObject: account))
        let notifier = FCMPushNotifier(projectID: "p", tokens: tokens, baseURL: server.url())
        try await notifier.send(Self.notification)
        try await notifier.send(Self.notification)
        let requests = server.requests
        #expect(requests.map(\.target) == ["/token", "/v1/projects/p/messages:send", "/v1/projects/p/messages:send"])
        #expect(requests.last?.headers["authorization"] == "Bearer ya29.fresh")

        // A key the endpoint does not accept is reported.
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        var forged = account
        forged["private_key"] = other.pemRepresentation
        let refused = try GoogleServiceAccountTokenProvider(serviceAccountJSON: try JSONSerialization.data(withJSONObject: forged))
        await #expect(throws: PushDeliveryError("the token endpoint answered HTTP 400 invalid_grant")) { try await refused.accessToken() }
        #expect(throws: PushDeliveryError.self) {
            try GoogleServiceAccountTokenProvider(serviceAccountJSON: Data(#"{"client_email":"x"}"#.utf8))
        }
    }
}
