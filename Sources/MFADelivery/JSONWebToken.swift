import Crypto
import CryptoExtras
import Foundation

/// The compact JWS the push services want as credentials: APNs provider tokens (ES256) and
/// Google service-account assertions (RS256).
enum JSONWebToken {
    /// `header.claims.signature`, base64url without padding.
    static func es256(header: [String: String], claims: [String: Any], key: P256.Signing.PrivateKey) throws -> String {
        let input = try Self.signingInput(header: header.merging(["alg": "ES256"]) { _, new in new }, claims: claims)
        let signature = try key.signature(for: Data(input.utf8))
        return input + "." + Self.base64URL(signature.rawRepresentation)
    }

    static func rs256(header: [String: String], claims: [String: Any], key: _RSA.Signing.PrivateKey) throws -> String {
        let input = try Self.signingInput(header: header.merging(["alg": "RS256"]) { _, new in new }, claims: claims)
        let signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Self.base64URL(signature.rawRepresentation)
    }

    static func signingInput(header: [String: String], claims: [String: Any]) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claims = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        return Self.base64URL(header) + "." + Self.base64URL(claims)
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/",
            with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }
}
