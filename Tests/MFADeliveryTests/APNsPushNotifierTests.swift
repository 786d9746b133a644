import Crypto
import FIDOKitTestSupport
import Foundation
import MFADelivery
import Push
import Testing

/// The APNs notifier against a loopback server: the request Apple documents, a provider token
/// that verifies with the team key, Apple's refusals reported.
struct APNsPushNotifierTests {
    static let device = PushDevice(
        id: "d1",
        memberID: "ada",
        name: "iPhone",
        publicKey: [],
        pushToken: "a1b2c3",
        enrolledAt: Date()
    )
    static let transaction = PushTransaction.start(
        for: device,
        context: .init(browser: "Safari on macOS", ipAddress: "203.0.113.9", time: Date()),
        at: Date(timeIntervalSince1970: 1_900_000_000)
    )
    static let notification = PushNotification(device: device, transaction: transaction)

    /// Splits a compact JWS and checks its ES256 signature.
    static func verifyES256(_ token: String, key: P256.Signing.PublicKey) throws -> (header: [String: Any], claims: [String: Any]) {
        let parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        func decode(_ text: String) throws -> Data {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            return try #require(Data(base64Encoded: base64))
        }
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: try decode(parts[2]))
        #expect(key.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8)))
        let header = try #require(try JSONSerialization.jsonObject(with: try decode(parts[0])) as? [String: Any])
        let claims = try #require(try JSONSerialization.jsonObject(with: try decode(parts[1])) as? [String: Any])
        return (header, claims)
    }

    @Test func aNotificationIsPostedWithAProviderToken() async throws {
        let before = Int(Date().timeIntervalSince1970)
        let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200) }
        defer { server.stop() }
        let key = P256.Signing.PrivateKey()
        let notifier = try APNsPushNotifier(
            teamID: "TEAM123456",
            keyID: "KEY1234567",
            privateKeyPEM: key.pemRepresentation,
            topic: "com.example.authenticator",
            baseURL: server.url()
        )
        try await notifier.send(Self.notification)
        try await notifier.send(Self.notification)
        let requests = server.requests
        try #require(requests.count == 2)
        let request = requests[0]
        #expect(request.method == "POST" && request.target == "/3/device/a1b2c3")
        #expect(request.headers["apns-topic"] == "com.example.authenticator")
        #expect(request.headers["apns-push-type"] == "alert")
        #expect(request.headers["apns-priority"] == "10")
        #expect(request.headers["apns-expiration"] == "1900000060")
        let bearer = try #require(request.headers["authorization"])
        #expect(bearer.hasPrefix("bearer "))
        let (header, claims) = try Self.verifyES256(String(bearer.dropFirst(7)), key: key.publicKey)
        #expect(header["alg"] as? String == "ES256" && header["kid"] as? String == "KEY1234567")
        #expect(claims["iss"] as? String == "TEAM123456")
        // Issued during the test (a loaded machine once took 69 s over it, so no fixed window).
        let issuedAt = claims["iat"] as? Int ?? 0
        #expect(issuedAt >= before && issuedAt <= Int(Date().timeIntervalSince1970))
        // One token for both requests (Apple refuses tokens renewed too often).
        #expect(requests[1].headers["authorization"] == bearer)
        let payload = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(payload["transactionId"] as? String == Self.transaction.id)
        let alert = (payload["aps"] as? [String: Any])?["alert"] as? [String: Any]
        #expect((alert?["body"] as? String)?.contains("203.0.113.9") == true)
    }

    @Test func applesRefusalIsReported() async throws {
        let server = try LoopbackHTTPServer { _ in .json(400, #"{"reason":"BadDeviceToken"}"#) }
        defer { server.stop() }
        let notifier = try APNsPushNotifier(
            teamID: "T",
            keyID: "K",
            privateKeyPEM: P256.Signing.PrivateKey().pemRepresentation,
            topic: "t",
            baseURL: server.url()
        )
        await #expect(throws: PushDeliveryError("APNs answered HTTP 400 BadDeviceToken")) { try await notifier.send(Self.notification) }
    }

    @Test func aKeyThatIsNotP256IsRefusedAtConfiguration() {
        #expect(throws: PushDeliveryError("the APNs key is not a P-256 private key in PEM")) {
            try APNsPushNotifier(teamID: "T", keyID: "K", privateKeyPEM: P384.Signing.PrivateKey().pemRepresentation, topic: "t")
        }
        #expect(throws: PushDeliveryError.self) { try APNsPushNotifier(teamID: "T", keyID: "K", privateKeyPEM: "junk", topic: "t") }
    }
}
