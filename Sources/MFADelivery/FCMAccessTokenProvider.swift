public import AsyncHTTPClient
import CryptoExtras
public import Foundation
public import Push
import Synchronization

/// Where ``FCMPushNotifier`` gets its OAuth 2 access token.
public protocol FCMAccessTokenProvider: Sendable {
    /// A token valid now.
    ///
    /// - Throws: ``PushDeliveryError`` when none can be had.
    func accessToken() async throws(PushDeliveryError) -> String
}

/// A token the operator obtained elsewhere (a metadata server, a sidecar).
public struct StaticFCMAccessToken: FCMAccessTokenProvider {
    public var token: String
    /// Wraps `token`.
    public init(_ token: String) { self.token = token }
    public func accessToken() async throws(PushDeliveryError) -> String { self.token }
}

/// Google's service-account flow (RFC 7523): an RS256 assertion signed with the account's key is
/// exchanged at its `token_uri` for an access token, cached until a minute before it expires.
public final class GoogleServiceAccountTokenProvider: FCMAccessTokenProvider {
    public static let scope = "https://www.googleapis.com/auth/firebase.messaging"

    public let clientEmail: String
    public let tokenURI: URL
    private let key: _RSA.Signing.PrivateKey
    private let http: HTTPDelivery
    private let cached = Mutex<(token: String, expiresAt: Date)?>(nil)

    /// Reads a service-account JSON key file's text (`client_email`, `private_key`, `token_uri`).
    ///
    /// - Throws: ``PushDeliveryError`` when a field is missing or the key is not RSA.
    public init(serviceAccountJSON: Data, client: HTTPClient = .shared, timeoutSeconds: Int64 = 10)
        throws(PushDeliveryError)
    {
        guard let email = serviceAccountJSON.jsonString("client_email"),
            let pem = serviceAccountJSON.jsonString("private_key"),
            let uri = serviceAccountJSON.jsonString("token_uri").flatMap(URL.init(string:))
        else { throw PushDeliveryError("the service-account file lacks client_email, private_key or token_uri") }
        guard let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) else {
            throw PushDeliveryError("the service account's private_key is not an RSA key in PEM")
        }
        self.clientEmail = email
        self.tokenURI = uri
        self.key = key
        self.http = HTTPDelivery(client: client, timeout: .seconds(timeoutSeconds))
    }

    public func accessToken() async throws(PushDeliveryError) -> String {
        let now = Date()
        if let current = self.cached.withLock({ $0 }), now < current.expiresAt { return current.token }
        let issued = Int(now.timeIntervalSince1970)
        guard
            let assertion = try? JSONWebToken.rs256(
                header: ["typ": "JWT"],
                claims: [
                    "iss": self.clientEmail, "scope": Self.scope, "aud": self.tokenURI.absoluteString, "iat": issued,
                    "exp": issued + 3_600,
                ],
                key: self.key
            )
        else { throw PushDeliveryError("the service-account assertion could not be signed") }
        let form = FormEncoding.encode([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
        ])
        let result = await self.http.send(
            .POST,
            self.tokenURI,
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data(form.utf8)
        )
        switch result {
        case .failure(let failure):
            throw PushDeliveryError(failure.reason)
        case .success(let reply):
            guard reply.status == 200, let token = reply.body.jsonString("access_token") else {
                let error = reply.body.jsonString("error").map { " \($0)" } ?? ""
                throw PushDeliveryError("the token endpoint answered HTTP \(reply.status)\(error)")
            }
            let lifetime = reply.body.jsonString("expires_in").flatMap(Double.init) ?? 3_600
            self.cached.withLock { $0 = (token, now.addingTimeInterval(max(0, lifetime - 60))) }
            return token
        }
    }
}
